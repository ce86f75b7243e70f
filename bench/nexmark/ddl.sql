-- The Nexmark streams, as the Flink suite declares them (event time dateTime, a watermark 4 s behind); the runner
-- and the tests put the number of events, the event-time rate, the events per batch, the first event's time and
-- whether the events come at their rate in wall-clock time (the runner's latency mode) in the ${...} places.
CREATE STREAM person (id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR, state VARCHAR,
  dateTime TIMESTAMP(3), extra VARCHAR, WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH ('connector' = 'nexmark', 'table' = 'person', 'events' = '${events}', 'events-per-second' = '${rate}',
  'max-events-per-batch' = '${batch}', 'base-time' = '${base}', 'real-time' = '${realtime}');
CREATE STREAM auction (id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,
  dateTime TIMESTAMP(3), expires TIMESTAMP(3), seller BIGINT, category BIGINT, extra VARCHAR,
  WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH ('connector' = 'nexmark', 'table' = 'auction', 'events' = '${events}', 'events-per-second' = '${rate}',
  'max-events-per-batch' = '${batch}', 'base-time' = '${base}', 'real-time' = '${realtime}');
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR, dateTime TIMESTAMP(3),
  extra VARCHAR, WATERMARK FOR dateTime AS dateTime - INTERVAL '4' SECOND)
  WITH ('connector' = 'nexmark', 'table' = 'bid', 'events' = '${events}', 'events-per-second' = '${rate}',
  'max-events-per-batch' = '${batch}', 'base-time' = '${base}', 'real-time' = '${realtime}');
