"""Where credentials and the base URL come from: the public door to klingkit's configuration.

Arguments > environment > config file (see ``Kling``'s docstring). The CLI's ``auth`` commands use these;
none of them ever returns or prints a secret except ``save_credentials``' own input.
"""

from __future__ import annotations

from ._config import config_path, credentials_source, load_config_file, resolve_base_url, save_credentials

__all__ = ["config_path", "credentials_source", "load_config_file", "resolve_base_url", "save_credentials"]
