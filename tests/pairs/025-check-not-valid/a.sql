CREATE TABLE currencies (
    code char(3) PRIMARY KEY
);

CREATE TABLE payments (
    id bigint PRIMARY KEY,
    amount numeric(12,2) NOT NULL,
    currency char(3) NOT NULL,
    note text
);
ALTER TABLE payments ADD CONSTRAINT payments_amount_check CHECK (amount > 0) NOT VALID;
ALTER TABLE payments ADD CONSTRAINT payments_currency_check CHECK (currency <> '') NOT VALID;
ALTER TABLE payments ADD CONSTRAINT payments_note_check CHECK (length(note) < 100) NOT VALID;
ALTER TABLE payments ADD CONSTRAINT payments_currency_fkey FOREIGN KEY (currency)
    REFERENCES currencies (code) NOT VALID;
