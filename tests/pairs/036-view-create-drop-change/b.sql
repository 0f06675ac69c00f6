CREATE TABLE employees (
    id integer PRIMARY KEY,
    name text NOT NULL,
    dept text NOT NULL,
    salary numeric(10,2) NOT NULL,
    active boolean NOT NULL DEFAULT true
);

CREATE VIEW active_employees AS
    SELECT id, name FROM employees WHERE active AND salary > 0;

CREATE VIEW dept_summary AS
    SELECT dept, count(*) AS n, avg(salary) AS avg_salary FROM employees GROUP BY dept;

CREATE VIEW payroll AS
    SELECT id, salary FROM employees;

CREATE VIEW high_earners AS
    SELECT id, name, salary FROM employees WHERE salary > 100000;
