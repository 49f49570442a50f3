-- The transactional outbox (Shared/Outbox): audit events and email requests written
-- in the same transaction as the change that causes them, delivered by a relay.
\include outbox.sql
