"""The one Piccolo app: every domain's tables, with migrations in the top-level migrations/ folder."""

from piccolo.conf.apps import AppConfig

from app.accounts.tables import SignInToken, User, UserSession
from app.advisers.tables import AdviserLink, LinkCode, NudgeSent, NudgesOff, SharedItem, Suggestion
from app.applications.tables import Application, StageChange
from app.audit.tables import AuditEntry
from app.codes.tables import Code, CodeWaiter
from app.concerns.tables import Concern, ConcernAddition
from app.core.ratelimit import RateLimit
from app.feedback.tables import Feedback
from app.mail.tables import MailMessage
from app.offers.tables import Offer
from app.organisations.tables import Membership, Organisation
from app.outbox.tables import OutboxItem, WorkerJob
from app.progress.tables import Objective
from app.publishing.tables import Plan, PlanAction, PublishedReport
from app.saved.tables import AlertSent, PushSubscription, SavedOffer, SavedSearch
from app.settings import ROOT
from app.sponsorship.tables import LedgerEntry, Sponsorship, StripeEvent
from app.uptake.tables import KeptFigures, OfferView, UptakeEvent
from app.verdicts.tables import VerdictAnswer, VerdictGiven, VerdictInvite
from app.verification.tables import Invitation, Verification
from app.young_people.tables import YoungPerson

APP_CONFIG = AppConfig(
    app_name="app",
    migrations_folder_path=str(ROOT / "migrations"),
    table_classes=[
        Organisation,
        Offer,
        OutboxItem,
        WorkerJob,
        User,
        SignInToken,
        UserSession,
        Membership,
        AuditEntry,
        RateLimit,
        MailMessage,
        YoungPerson,
        Invitation,
        Verification,
        Application,
        StageChange,
        SavedOffer,
        SavedSearch,
        PushSubscription,
        AlertSent,
        UptakeEvent,
        OfferView,
        KeptFigures,
        Sponsorship,
        Feedback,
        Objective,
        LedgerEntry,
        StripeEvent,
        Code,
        CodeWaiter,
        AdviserLink,
        SharedItem,
        Suggestion,
        LinkCode,
        NudgeSent,
        NudgesOff,
        PublishedReport,
        Plan,
        PlanAction,
        Concern,
        ConcernAddition,
        VerdictGiven,
        VerdictAnswer,
        VerdictInvite,
    ],
)
