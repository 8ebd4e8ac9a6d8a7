-- Autoscale policies. Portable SQL: runs on H2 (embedded default) and PostgreSQL.
CREATE TABLE IF NOT EXISTS autoscale_policies (
    name                         VARCHAR(63)      PRIMARY KEY,
    min_processes                INTEGER,
    max_processes                INTEGER,
    scale_up_step                INTEGER          NOT NULL,
    scale_down_step              INTEGER          NOT NULL,
    scale_up_cooldown_s          INTEGER          NOT NULL,
    scale_down_stabilization_s   INTEGER          NOT NULL,
    tolerance                    DOUBLE PRECISION NOT NULL,
    predict                      BOOLEAN          NOT NULL
);
CREATE TABLE IF NOT EXISTS autoscale_policy_metrics (
    policy        VARCHAR(63)      NOT NULL REFERENCES autoscale_policies(name) ON DELETE CASCADE,
    metric        VARCHAR(63)      NOT NULL,
    target_value  DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (policy, metric)
);
