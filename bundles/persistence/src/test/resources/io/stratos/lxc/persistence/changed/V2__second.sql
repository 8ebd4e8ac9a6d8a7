INSERT INTO notes (id, text) VALUES (1, 'one; two');
/* a block comment; still no statement of its own */
INSERT INTO notes (id, text) VALUES (2, 'it''s -- not a comment;');
