"""Every tunable of the library core, in one place.

Times are in seconds, sizes in bytes. Three clocks have three names: ``timeout`` (one HTTP request),
``poll_interval`` (between status checks) and ``max_wait`` (a whole job).
"""

from __future__ import annotations

from ._version import __version__

USER_AGENT = f"klingkit/{__version__}"

# --- HTTP ------------------------------------------------------------------------------------------
DEFAULT_TIMEOUT = 60.0  # one request, read/write/pool
CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 3  # retries after the first attempt; 0 disables

# --- retry backoff (seconds) ---------------------------------------------------------------------
BACKOFF_BASE = 0.5  # min(0.5 * 2**n, 8) * U(0.75, 1)
BACKOFF_CAP = 8.0
CONCURRENCY_BACKOFF_BASE = 1.0  # 1303: Kling asks for an initial delay >= 1 s
CONCURRENCY_BACKOFF_CAP = 30.0
CONCURRENCY_BACKOFF_FLOOR = 1.0
JITTER_LOW = 0.75  # backoff is multiplied by U(JITTER_LOW, 1)
RETRY_AFTER_MAX = 60.0  # a server asking for longer is raised as RateLimitError(.retry_after)

# --- waiting ---------------------------------------------------------------------------------------
DEFAULT_MAX_WAIT = 1800.0
POLL_INITIAL = 2.0
POLL_GROWTH = 1.5
POLL_CAP = 15.0
POLL_JITTER = 0.2  # each poll delay is multiplied by U(1 - j, 1 + j)
POLL_MIN = 0.05  # never busy-loop, even with poll_interval=0
# With the default schedule, no delay exceeds this share of the time the task has run so far, so a finished
# task is noticed within ~8% of its running time (median lag ~4%); POLL_FLOOR keeps short tasks polite.
POLL_FRACTION = 0.08
POLL_FLOOR = 1.0
TASKS_QUERY_BATCH = 20  # GET /tasks?task_ids= accepts at most 20 ids
LEGACY_LIST_PAGE_SIZE = 500  # one list page serves many pending legacy tasks of one feature

# --- auth ------------------------------------------------------------------------------------------
JWT_TTL = 1800  # exp = now + 1800 (Kling's sample)
JWT_NBF_SKEW = 5  # nbf = now - 5, for clock skew
JWT_REFRESH_MARGIN = 300  # re-sign 5 minutes before exp

# --- downloads -------------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 120.0
DOWNLOAD_MAX_BYTES = 8 * 1024 * 1024 * 1024  # refuse anything larger than 8 GiB
DOWNLOAD_MAX_REDIRECTS = 5
DOWNLOAD_RESUME_ATTEMPTS = 3  # Range resumes after a dropped connection
SIDECAR_BLOB_MIN = 256  # strings at least this long that look like base64 are elided in sidecars

# --- create recovery ---------------------------------------------------------------------------------
CREATE_LOOKUP_BACKOFF_CAP = 8.0  # between lookups of a create that may exist (2 + 2 * max_retries of them)

# --- ids -------------------------------------------------------------------------------------------
EXTERNAL_ID_PREFIX = "kk-"

# --- account ---------------------------------------------------------------------------------------
COSTS_DEFAULT_DAYS = 30

# --- environment -----------------------------------------------------------------------------------
ENV_API_KEY = "KLING_API_KEY"
ENV_ACCESS_KEY = "KLING_ACCESS_KEY"
ENV_SECRET_KEY = "KLING_SECRET_KEY"
ENV_BASE_URL = "KLING_BASE_URL"
ENV_REGION = "KLING_REGION"
ENV_CONFIG = "KLINGKIT_CONFIG"
ENV_LOG = "KLINGKIT_LOG"
