CREATE TABLE employees (
    id integer PRIMARY KEY,
    name text NOT NULL,
    dept text NOT NULL,
    salary numeric(10,2) NOT NULL,
    active boolean NOT NULL DEFAULT true
);

CREATE VIEW active_employees AS
    SELECT id, name FROM employees WHERE active;

CREATE VIEW dept_summary AS
    SELECT dept, count(*) AS n FROM employees GROUP BY dept;

CREATE VIEW payroll AS
    SELECT id, name, salary FROM employees;

CREATE VIEW old_report AS
    SELECT name, dept FROM employees WHERE NOT active;
