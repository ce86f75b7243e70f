-- A LEFT JOIN without a time bound, of streams without event time, in update mode: an order whose user is not
-- there yet comes at once with a null name, and is taken back (-D) for the joined row when the user comes.
-- mode: update
-- key: 3
-- state-store: memory, rocksdb
CREATE STREAM users (id VARCHAR, name VARCHAR) WITH ('connector' = 'memory');
CREATE STREAM orders (user_id VARCHAR, amount BIGINT) WITH ('connector' = 'memory');
SELECT o.user_id, o.amount, u.name FROM orders o LEFT JOIN users u ON o.user_id = u.id;
-- data: orders
ann, 10
bob, 20
-- data: users
ann, Ann Lee
-- data: orders
ann, 11
-- expect:
ann, 10, Ann Lee
bob, 20, null
ann, 11, Ann Lee
