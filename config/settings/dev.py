"""Local development and `make demo`."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)

# The demo takes texts from a gateway that signs with this (README: 短信报事).
CIVICGRID_SMS_INBOUND_SECRET = os.environ.get(
    "CIVICGRID_SMS_INBOUND_SECRET", "demo-sms-gateway-secret"
)
