-- Application artifacts: the versions deployed into a subscription (1, 2, ...), which one is wanted and which one
-- serves everywhere, and which version each process runs (0: the cartridge image's own content).
ALTER TABLE subscriptions ADD COLUMN desired_artifact INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE subscriptions ADD COLUMN deployed_artifact INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE processes ADD COLUMN artifact INTEGER DEFAULT 0 NOT NULL;
CREATE TABLE artifact_versions (
    alias       VARCHAR(63)   NOT NULL REFERENCES subscriptions(alias),
    number      INTEGER       NOT NULL,
    digest      VARCHAR(80)   NOT NULL,
    size        BIGINT        NOT NULL,
    source      VARCHAR(16)   NOT NULL,
    git         VARCHAR(2048),
    ref         VARCHAR(255),
    commit_id   VARCHAR(64),
    created_at  VARCHAR(40)   NOT NULL,
    state       VARCHAR(16)   NOT NULL,
    reason      VARCHAR(2048) NOT NULL,
    PRIMARY KEY (alias, number)
);
