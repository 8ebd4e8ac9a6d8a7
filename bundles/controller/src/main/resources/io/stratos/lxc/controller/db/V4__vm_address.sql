-- A VM's address on its partition's network, as its agent reports it: where its processes are published.
ALTER TABLE vms ADD COLUMN address VARCHAR(64);
