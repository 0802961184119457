-- Inbound messages find their contact across workspaces: a WhatsApp reply by the sender's
-- digits, an inbound email by its address, a Telegram message by its chat id. The indexes of
-- 0001 lead with workspace_id, which these lookups do not know, so each inbound message read
-- every contact. These index exactly the expressions the lookups compare
-- (ContactMatchStore).
--
-- Built without CONCURRENTLY (a migration runs in a transaction): writes to contacts wait
-- while each index is built, a few seconds per million contacts.
CREATE INDEX outreach_contacts_phone_digits ON outreach_contacts (regexp_replace(phone, '[^0-9]', '', 'g'))
    WHERE phone IS NOT NULL;
CREATE INDEX outreach_contacts_email_address ON outreach_contacts (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX outreach_contacts_telegram_chat ON outreach_contacts (telegram_chat_id) WHERE telegram_chat_id IS NOT NULL;
