"""Young people's voice (charter principle 3, togetherness): a rating and a few words on something they took up."""

from piccolo.columns import Boolean, ForeignKey, OnDelete, Serial, SmallInt, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.constraints import Check, Unique
from piccolo.table import Table

from app.offers.tables import Offer
from app.young_people.tables import YoungPerson


class Feedback(Table):
    """One per young person per thing taken up (`subject`: "application:<id>" or "code:<id>"). Erased with the
    young person's account: words can say who wrote them."""

    id: Serial
    young_person = ForeignKey(references=YoungPerson, null=False, index=True, on_delete=OnDelete.cascade)
    offer = ForeignKey(references=Offer, null=False, index=True, on_delete=OnDelete.cascade)
    subject = Varchar(length=40, required=True)
    rating = SmallInt(required=True, help_text="1 to 5: did this help you towards what you want to do next?")
    words = Text(default="")
    share_name = Boolean(default=False, help_text="The young person chose to let the provider see their name.")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    feedback_once_each = Unique([young_person, subject])
    feedback_one_to_five = Check((rating >= 1) & (rating <= 5))
