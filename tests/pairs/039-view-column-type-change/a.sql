CREATE TABLE accounts (
    id integer PRIMARY KEY,
    balance numeric(10,2) NOT NULL DEFAULT 0,
    code varchar(10) NOT NULL,
    owner text
);

CREATE VIEW account_balances AS
    SELECT id, balance, code FROM accounts;

CREATE VIEW rich_accounts AS
    SELECT id, code FROM account_balances WHERE balance > 1000;

CREATE VIEW owners AS
    SELECT DISTINCT owner FROM accounts;
