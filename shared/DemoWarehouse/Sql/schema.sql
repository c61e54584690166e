-- The demo warehouse: what a data team's trusted layer typically holds about customers.
CREATE TABLE IF NOT EXISTS owners (
    id              integer PRIMARY KEY,
    name            text NOT NULL,
    email           text NOT NULL,
    slack_user_id   text
);

CREATE TABLE IF NOT EXISTS accounts (
    id                  bigint PRIMARY KEY,
    name                text NOT NULL,
    owner_id            integer REFERENCES owners (id),
    churn_probability   numeric(5, 4) NOT NULL,
    usage_drop          numeric(5, 4) NOT NULL,
    crm_url             text NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS tickets (
    id          bigserial PRIMARY KEY,
    account_id  bigint NOT NULL REFERENCES accounts (id),
    subject     text NOT NULL,
    priority    text NOT NULL CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status      text NOT NULL CHECK (status IN ('new', 'open', 'pending', 'solved', 'closed')),
    created_at  timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS tickets_account_created ON tickets (account_id, created_at DESC);
