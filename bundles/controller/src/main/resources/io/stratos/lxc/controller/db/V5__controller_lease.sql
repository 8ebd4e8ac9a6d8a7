-- The leader lease. Controllers that share this database take turns holding it; only the holder writes.
-- epoch grows by one at every change of holder; every write of the holder checks it in its own transaction
-- (fencing) and records it in last_write_epoch, so a write by a controller that lost the lease cannot land.
CREATE TABLE controller_lease (
    id INT PRIMARY KEY,
    holder VARCHAR(256) NOT NULL,
    holder_url VARCHAR(512) NOT NULL,
    epoch BIGINT NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    last_write_epoch BIGINT NOT NULL
);
INSERT INTO controller_lease (id, holder, holder_url, epoch, expires_at, last_write_epoch)
    VALUES (1, '', '', 0, TIMESTAMP '1970-01-01 00:00:00', 0);
