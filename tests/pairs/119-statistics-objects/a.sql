CREATE TABLE address (id int PRIMARY KEY, zip text, city text, street text, country text);
CREATE STATISTICS address_zip_city (dependencies) ON zip, city FROM address;
CREATE STATISTICS address_street ON street, city FROM address;
