-- A partition's VM count set by scaling (manual or the autoscaler's level 2), within min..max.
ALTER TABLE partitions ADD COLUMN desired_vms INTEGER DEFAULT 0 NOT NULL;
