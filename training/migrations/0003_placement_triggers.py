"""Database triggers for the placement rules a CHECK constraint cannot express.

* a placement's ward must belong to the institute's attached hospital or to one of
  its partner hospitals (the institute is the block's cohort's);
* a placement's supervisor (when set) must hold the supervisor role over its ward;
* a placement day must match its placement (student, ward, shift, within the dates);
* clinical hours must be recorded against a day of their own placement;
* a competency sign-off is never updated (a correction is a new row).

SQLite and PostgreSQL spell triggers differently; both raise an integrity error whose
message names the rule, which `training.placement_services` turns into a sentence.
"""

from django.db import migrations

RULES = {
    # name: (table, events, condition on NEW that must hold)
    "placement_ward_not_training_site": (
        "training_placement",
        "ward_id, block_id",
        """EXISTS (
            SELECT 1 FROM training_rotationblock b
            JOIN students_cohort c ON c.id = b.cohort_id
            JOIN institutes_institute i ON i.id = c.institute_id
            JOIN institutes_ward w ON w.id = NEW.ward_id
            WHERE b.id = NEW.block_id AND (
                w.hospital_id = i.hospital_id OR EXISTS (
                    SELECT 1 FROM institutes_institute_partner_hospitals ph
                    WHERE ph.institute_id = i.id AND ph.hospital_id = w.hospital_id
                )
            )
        )""",
    ),
    "placement_supervisor_not_of_ward": (
        "training_placement",
        "ward_id, supervisor_id",
        """(NEW.supervisor_id IS NULL OR EXISTS (
            SELECT 1 FROM institutes_roleassignment r
            WHERE r.user_id = NEW.supervisor_id AND r.ward_id = NEW.ward_id
              AND r.role = 'supervisor'
        ))""",
    ),
    "placement_day_not_of_placement": (
        "training_placementday",
        "placement_id, student_id, ward_id, date, shift",
        """EXISTS (
            SELECT 1 FROM training_placement p
            JOIN training_rotationblock b ON b.id = p.block_id
            WHERE p.id = NEW.placement_id AND p.student_id = NEW.student_id
              AND p.ward_id = NEW.ward_id AND b.shift = NEW.shift
              AND NEW.date >= p.start_date AND NEW.date <= p.end_date
        )""",
    ),
    "clinical_hours_day_not_of_placement": (
        "training_clinicalhours",
        "day_id, placement_id",
        """EXISTS (
            SELECT 1 FROM training_placementday d
            WHERE d.id = NEW.day_id AND d.placement_id = NEW.placement_id
        )""",
    ),
}
APPEND_ONLY = {"competency_signoff_is_append_only": "training_competencysignoff"}


def _sqlite(schema_editor, reverse=False):
    for name, (table, columns, condition) in RULES.items():
        for event, suffix in (("INSERT", "ins"), (f"UPDATE OF {columns}", "upd")):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}")
            if reverse:
                continue
            schema_editor.execute(
                f"CREATE TRIGGER {name}_{suffix} BEFORE {event} ON {table} "
                f"FOR EACH ROW WHEN NOT ({condition}) "
                f"BEGIN SELECT RAISE(ABORT, '{name}'); END"
            )
    for name, table in APPEND_ONLY.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if reverse:
            continue
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{name}'); END"
        )


def _postgresql(schema_editor, reverse=False):
    for name, (table, columns, condition) in RULES.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}_fn()")
        if reverse:
            continue
        schema_editor.execute(
            f"CREATE FUNCTION {name}_fn() RETURNS trigger AS $$ BEGIN "
            f"IF NOT ({condition}) THEN "
            f"RAISE EXCEPTION '{name}' USING ERRCODE = 'check_violation'; END IF; "
            f"RETURN NEW; END $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {columns} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_fn()"
        )
    for name, table in APPEND_ONLY.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}_fn()")
        if reverse:
            continue
        schema_editor.execute(
            f"CREATE FUNCTION {name}_fn() RETURNS trigger AS $$ BEGIN "
            f"RAISE EXCEPTION '{name}' USING ERRCODE = 'check_violation'; "
            f"END $$ LANGUAGE plpgsql"
        )
        schema_editor.execute(
            f"CREATE TRIGGER {name} BEFORE UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}_fn()"
        )


def _run(reverse):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            _sqlite(schema_editor, reverse)
        elif vendor == "postgresql":
            _postgresql(schema_editor, reverse)
        else:  # pragma: no cover - only the two supported databases
            raise RuntimeError(f"No placement triggers for {vendor}")

    return run


class Migration(migrations.Migration):
    dependencies = [("training", "0002_placements")]

    operations = [migrations.RunPython(_run(False), _run(True))]
