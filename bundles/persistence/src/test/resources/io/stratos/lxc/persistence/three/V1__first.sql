-- Notes; this comment has a semicolon.
CREATE TABLE notes (
    id   INTEGER      PRIMARY KEY,
    text VARCHAR(255) NOT NULL
);
