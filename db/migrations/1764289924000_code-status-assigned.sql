-- Up Migration

-- A code given to one member by a distribution (§11): between unused and redeemed, redeemable by that member
-- only. Its own migration: a new enum value can't be used in the transaction that adds it, and nothing here
-- uses it (the distribution migration only names it inside function bodies, which run later).
alter type code_status add value if not exists 'assigned' after 'reserved';

-- Down Migration
-- PostgreSQL cannot drop an enum value; an `assigned` code would have to be returned to the pool first.
