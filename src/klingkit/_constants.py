"""Every tunable of the library core, in one place.

Times are in seconds, sizes in bytes. Three clocks have three names: ``timeout`` (one HTTP request),
``poll_interval`` (between status checks) and ``max_wait`` (a whole job).
"""

from __future__ import annotations

from . import defaults as _D
from ._version import __version__

USER_AGENT = f"klingkit/{__version__}"

# --- HTTP ------------------------------------------------------------------------------------------
DEFAULT_TIMEOUT = _D.TIMEOUT  # one request, read/write/pool (our own defaults are public there)
CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = _D.MAX_RETRIES  # retries after the first attempt; 0 disables

# --- retry backoff (seconds) ---------------------------------------------------------------------
BACKOFF_BASE = 0.5  # min(0.5 * 2**n, 8) * U(0.75, 1)
BACKOFF_CAP = 8.0
CONCURRENCY_BACKOFF_BASE = 1.0  # 1303: Kling asks for an initial delay >= 1 s
CONCURRENCY_BACKOFF_CAP = 30.0
CONCURRENCY_BACKOFF_FLOOR = 1.0
JITTER_LOW = 0.75  # backoff is multiplied by U(JITTER_LOW, 1)
RETRY_AFTER_MAX = 60.0  # a server asking for longer is raised as RateLimitError(.retry_after)

# --- waiting ---------------------------------------------------------------------------------------
DEFAULT_MAX_WAIT = _D.MAX_WAIT
# The default status schedule (``_retry.next_check``) follows the task's typical time from the catalog:
# one check as soon as a wait starts (it learns the task's state and age), then none until POLL_FIRST_SHARE
# of the typical minimum (or POLL_CAP, whichever is sooner); then checks POLL_SHARE_EARLY of the task's age apart until the typical minimum,
# POLL_SHARE_TYPICAL apart inside the typical range (lag ~4% of the duration, <= 8%) and
# POLL_SHARE_LATE apart after it; never closer than POLL_FLOOR for one task, never wider than POLL_CAP.
POLL_FIRST_SHARE = 0.8
POLL_SHARE_EARLY = 0.25
POLL_SHARE_TYPICAL = 0.08
POLL_SHARE_LATE = 0.1
POLL_FLOOR = _D.POLL_FLOOR
POLL_FLOOR_UNKNOWN = 5.0  # a task of unknown route/model: the seeds' 'every 5-10 s' at the closest
POLL_CAP = _D.POLL_CAP
# A task whose status request also serves other waited-for tasks (a /tasks call, a legacy list page) costs
# a share of that request: from its typical minimum on it is checked up to POLL_SHARED_GAIN times as often.
POLL_SHARED_GAIN = 2.5
POLL_MIN = 0.05  # never busy-loop, even with poll_interval=0
POLL_GATHER = 0.05  # waits that start within this window share their first status round
# The hub learns each kind of task's pace from those it saw finish (``_hub_pace``): the latest PACE_SAMPLES
# durations per kind; the learned range is their 10th-90th percentiles widened by PACE_MARGIN_MIN +
# PACE_MARGIN_FIRST / samples; inside it a task is checked at least PACE_RANGE_CHECKS times. A throughput
# wait (its own floor) on a kind never seen finishing explores: checks PACE_EXPLORE_FIRST, then
# PACE_EXPLORE_SHARE of the task's age apart.
PACE_SAMPLES = 20
PACE_MARGIN_MIN = 0.01
PACE_MARGIN_FIRST = 0.24
PACE_RANGE_CHECKS = 4
PACE_EXPLORE_FIRST = 0.5
PACE_EXPLORE_SHARE = 0.25
TASK_AGE_TRUSTED = 6 * 3600.0  # a server created_at older than this is not used as the task's age
# Kept for callers of the old growth schedule (``_retry.poll_delay``).
POLL_INITIAL = 2.0
POLL_GROWTH = 1.5
POLL_JITTER = 0.2  # each poll delay is multiplied by U(1 - j, 1 + j)
POLL_FRACTION = 0.08
POLL_OLD_CAP = 15.0
POLL_OLD_FLOOR = 1.0
TASKS_QUERY_BATCH = 20  # GET /tasks?task_ids= accepts at most 20 ids
LEGACY_LIST_PAGE_SIZE = 500  # the largest legacy list page (pageSize 1-500)
# Legacy status checks: a list page serves several pending tasks of one feature, but costs every row above
# the oldest of them. Byte costs (measured on the sandbox, close to Kling's) pick the cheaper option.
LEGACY_ROW_BYTES = 350  # one task in a list page
LEGACY_REQUEST_BYTES = 1500  # one request's own cost (headers both ways, TLS records, server work)
LEGACY_PAGE_MARGIN = 1.5  # a page reaches this many times deeper than our oldest task was last seen, + 10

# --- auth ------------------------------------------------------------------------------------------
JWT_TTL = 1800  # exp = now + 1800 (Kling's sample)
JWT_NBF_SKEW = 5  # nbf = now - 5, for clock skew
JWT_REFRESH_MARGIN = 300  # re-sign 5 minutes before exp

# --- downloads -------------------------------------------------------------------------------------
DOWNLOAD_TIMEOUT = 120.0
DOWNLOAD_MAX_BYTES = 8 * 1024 * 1024 * 1024  # refuse anything larger than 8 GiB
DOWNLOAD_MAX_REDIRECTS = 5
DOWNLOAD_RESUME_ATTEMPTS = 3  # Range resumes after a dropped connection
DOWNLOAD_BUFFER = 1 << 20  # file write buffer: few system calls for large videos
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
