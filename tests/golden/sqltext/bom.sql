CREATE TABLE app.bom (a integer);
