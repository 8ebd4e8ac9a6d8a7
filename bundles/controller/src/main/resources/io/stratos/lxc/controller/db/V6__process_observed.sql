-- What the agent last reported of a process: its state and the host port it is published on. A controller that loads
-- the state (a restart, a standby, a take-over) routes to a RUNNING process at once instead of after its agent's
-- next report; the agent's reports correct it within seconds.
ALTER TABLE processes ADD COLUMN observed_state VARCHAR(16);
ALTER TABLE processes ADD COLUMN host_port INT;
