CREATE TABLE address (id int PRIMARY KEY, zip text, city text, country text);
CREATE STATISTICS address_zip_city (dependencies, ndistinct) ON zip, city FROM address;
ALTER STATISTICS address_zip_city SET STATISTICS 300;
COMMENT ON STATISTICS address_zip_city IS 'zip decides city';
CREATE STATISTICS address_lower ON lower(city), country FROM address;
CREATE TABLE sale (region text, product text, qty int);
CREATE STATISTICS sale_mcv (mcv) ON region, product FROM sale;
