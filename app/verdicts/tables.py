"""Young people's verdict on an organisation, once a reporting year. Who answered and what they answered are kept
in two tables that share nothing but the organisation and the year, so no join, time or order ties an answer to
a person."""

from enum import StrEnum

from piccolo.columns import UUID, ForeignKey, OnDelete, Serial, SmallInt, Text, Varchar
from piccolo.columns.defaults.uuid import UUID4
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from app.organisations.tables import Organisation
from app.young_people.tables import YoungPerson


class Kept(StrEnum):
    """Did it keep its promise?"""

    yes = "yes"
    partly = "partly"
    no = "no"


class Recommend(StrEnum):
    """Would you recommend it?"""

    yes = "yes"
    no = "no"
    not_sure = "not_sure"


class VerdictGiven(Table, tablename="verdict_given"):
    """This young person has given their verdict on this organisation for this reporting year: only to stop a
    second one. Nothing of the answer, and no time. Goes with the young person's account."""

    id: Serial
    young_person = ForeignKey(references=YoungPerson, null=False, on_delete=OnDelete.cascade)
    organisation = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    year = SmallInt(
        required=True, help_text="The reporting year, by the year it starts: 2026 is April 2026 to March 2027."
    )
    verdict_given_once = Unique([young_person, organisation, year])


class VerdictAnswer(Table, tablename="verdict_answer"):
    """One young person's verdict, naming nobody: no person, no time, and a random id (a serial would count up with
    verdict_given's and pair them by order; a UUID v7 would carry the time). Stays when its writer's account goes."""

    id = UUID(primary_key=True, default=UUID4())
    organisation = ForeignKey(references=Organisation, null=False, index=True, on_delete=OnDelete.cascade)
    year = SmallInt(required=True)
    kept_promise = Varchar(length=10, choices=Kept, required=True)
    recommend = Varchar(length=10, choices=Recommend, required=True)
    change = Text(default="", help_text="What should it change: read by its owners and staff, never published.")
    verdict_kept_known = Check((kept_promise == "yes") | (kept_promise == "partly") | (kept_promise == "no"))
    verdict_recommend_known = Check((recommend == "yes") | (recommend == "no") | (recommend == "not_sure"))


class VerdictInvite(Table, tablename="verdict_invite"):
    """The year's email asking for their verdicts went to this young person (or was passed over: they asked for no
    email): never twice in a reporting year, whoever runs the worker."""

    id: Serial
    young_person = ForeignKey(references=YoungPerson, null=False, on_delete=OnDelete.cascade)
    year = SmallInt(required=True)
    verdict_invited_once = Unique([young_person, year])
