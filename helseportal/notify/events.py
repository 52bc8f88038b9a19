"""What a notification can be about. The event is all a notification knows."""

from enum import StrEnum


class Event(StrEnum):
    NEW_MESSAGE = "new_message"
    APPOINTMENT_ANSWERED = "appointment_answered"
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_CHANGED = "appointment_changed"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_REMINDER = "appointment_reminder"
    NEW_RESULT = "new_result"
    NEW_VACCINE = "new_vaccine"
    REFERRAL_UPDATED = "referral_updated"
    EXEMPTION_CARD_ISSUED = "exemption_card_issued"
    EXEMPTION_CARD_WITHDRAWN = "exemption_card_withdrawn"
    TRAVEL_CLAIM_DECIDED = "travel_claim_decided"
    TRAVEL_CLAIM_PAID = "travel_claim_paid"
