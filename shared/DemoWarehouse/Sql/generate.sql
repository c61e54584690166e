-- Fills the demo warehouse with @accounts accounts, set-based so a million rows take seconds.
-- setseed makes the data repeatable: the same size and seed always give the same rows.
SELECT setseed(@seed);

INSERT INTO owners (id, name, email, slack_user_id)
SELECT o,
       first_name || ' ' || last_name,
       lower(first_name || '.' || last_name || o) || '@example.com',
       'U' || upper(lpad(to_hex(o * 7919 + 4096), 8, '0'))
FROM generate_series(1, @owners) AS o,
LATERAL (SELECT (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Margaret','Ken','Frances','Linus',
                       'Radia','John','Katherine','Tim','Shafi','Leslie','Sophie','Dennis','Hedy','Niklaus'])
                       [1 + (o * 7) % 20] AS first_name,
                (ARRAY['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Hamilton','Thompson','Allen',
                       'Torvalds','Perlman','McCarthy','Johnson','Berners-Lee','Goldwasser','Lamport','Wilson',
                       'Ritchie','Lamarr','Wirth'])[1 + (o * 13) % 20] AS last_name) n;

INSERT INTO accounts (id, name, owner_id, churn_probability, usage_drop, crm_url, updated_at)
SELECT a,
       (ARRAY['Acme','Globex','Initech','Umbrella','Hooli','Vandelay','Stark','Wayne','Wonka','Tyrell',
              'Cyberdyne','Soylent','Aperture','Massive','Oscorp','Pied Piper','Gringotts','Monarch','Dunder',
              'Nakatomi'])[1 + floor(random() * 20)::int]
       || ' ' ||
       (ARRAY['Corp','Industries','Labs','Systems','Holdings','Logistics','Foods','Media','Health','Energy'])
       [1 + floor(random() * 10)::int]
       || ' #' || a,
       1 + (a % @owners),
       -- About 7% above 0.8 and 9% above 0.2 usage drop: roughly 15% of accounts are in the churn cohort.
       round(power(random(), 3)::numeric, 4),
       round((random() * 0.22)::numeric, 4),
       'https://example.my.salesforce.com/lightning/r/Account/001' || lpad(a::text, 12, '0') || '/view',
       now() - random() * interval '30 days'
FROM generate_series(1, @accounts) AS a;

INSERT INTO tickets (account_id, subject, priority, status, created_at)
SELECT a.id,
       (ARRAY['Cannot export report to CSV','SSO login fails after password reset','Invoice shows wrong VAT',
              'Dashboard loads slowly','API returns 429 during sync','Request to add more seats',
              'Data missing from last night''s import','Question about renewal pricing','Webhook deliveries delayed',
              'User cannot be deprovisioned','Mobile app crashes on launch','Need audit log export'])
       [1 + floor(random() * 12)::int],
       (ARRAY['low','normal','normal','high','urgent'])[1 + floor(random() * 5)::int],
       (ARRAY['new','open','pending','solved','closed'])[1 + floor(random() * 5)::int],
       now() - random() * interval '90 days'
FROM accounts a, generate_series(1, 1 + (a.id % 5)::int) AS t;
