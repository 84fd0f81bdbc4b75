"""The database refuses a consent that supersedes another household's or proposal's consent.

With the partial unique constraint (one chain start per household and proposal) and the
one-to-one ``supersedes``, this keeps at most one current consent per household and proposal.
Django cannot express a cross-row check, so it is a trigger, written for each database.
"""

from django.db import migrations

TRIGGER = "consent_supersedes_same_chain"
MESSAGE = "consent_supersedes_same_chain: a consent may only supersede a consent of the same household and proposal"

POSTGRESQL_CREATE = f"""
CREATE FUNCTION {TRIGGER}() RETURNS trigger AS $$
BEGIN
    IF NEW.supersedes_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM consultations_consent
        WHERE id = NEW.supersedes_id
          AND household_id = NEW.household_id
          AND proposal_id = NEW.proposal_id
    ) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {TRIGGER} BEFORE INSERT OR UPDATE ON consultations_consent
    FOR EACH ROW EXECUTE FUNCTION {TRIGGER}();
"""
POSTGRESQL_DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON consultations_consent;
DROP FUNCTION IF EXISTS {TRIGGER}();
"""


def sqlite_trigger(event: str) -> str:
    return f"""
CREATE TRIGGER {TRIGGER}_{event.lower()} BEFORE {event} ON consultations_consent
WHEN NEW.supersedes_id IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM consultations_consent
    WHERE id = NEW.supersedes_id
      AND household_id = NEW.household_id
      AND proposal_id = NEW.proposal_id
)
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE)
    elif schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(sqlite_trigger("INSERT"))
        schema_editor.execute(sqlite_trigger("UPDATE"))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif schema_editor.connection.vendor == "sqlite":
        for event in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}_{event}")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
