-- Controller state. Portable SQL: runs on H2 (embedded default) and PostgreSQL.
CREATE TABLE partitions (
    name        VARCHAR(63)   PRIMARY KEY,
    cartridge   VARCHAR(63)   NOT NULL UNIQUE,
    adapter     VARCHAR(63)   NOT NULL,
    min_vms     INTEGER       NOT NULL,
    max_vms     INTEGER       NOT NULL,
    cpu_millis  INTEGER       NOT NULL,
    memory_mib  INTEGER       NOT NULL,
    template    VARCHAR(8000) NOT NULL
);
CREATE TABLE vms (
    id           VARCHAR(64)   PRIMARY KEY,
    partition    VARCHAR(63)   NOT NULL REFERENCES partitions(name),
    adapter      VARCHAR(63)   NOT NULL,
    adapter_ref  VARCHAR(255),
    state        VARCHAR(16)   NOT NULL,
    cpu_millis   INTEGER       NOT NULL,
    memory_mib   INTEGER       NOT NULL,
    join_token   VARCHAR(64)   NOT NULL,
    agent_secret VARCHAR(64),
    runtimes     VARCHAR(255)  NOT NULL
);
CREATE TABLE subscriptions (
    alias             VARCHAR(63)   PRIMARY KEY,
    tenant            VARCHAR(63)   NOT NULL,
    cartridge         VARCHAR(63)   NOT NULL,
    version           VARCHAR(63)   NOT NULL,
    digest            VARCHAR(80)   NOT NULL,
    policy            VARCHAR(63),
    min_processes     INTEGER       NOT NULL,
    max_processes     INTEGER       NOT NULL,
    desired_processes INTEGER       NOT NULL,
    env               VARCHAR(8000) NOT NULL,
    cpu_millis        INTEGER       NOT NULL,
    memory_mib        INTEGER       NOT NULL,
    runtimes          VARCHAR(255)  NOT NULL,
    created_at        VARCHAR(40)   NOT NULL
);
CREATE TABLE processes (
    id        VARCHAR(64) PRIMARY KEY,
    alias     VARCHAR(63) NOT NULL REFERENCES subscriptions(alias),
    vm_id     VARCHAR(64),
    runtime   VARCHAR(16),
    stopping  BOOLEAN     NOT NULL
);
CREATE INDEX processes_alias ON processes(alias);
