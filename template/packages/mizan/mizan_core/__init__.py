"""`mizan_core`: the seeds' name for Mizan's framework-free core (`mizan.core`), shipped in the same distribution.

Everything here is `mizan.core` under the module paths the original framework used: `mizan_core.registry`,
`mizan_core.client.function`. Importing it does not import Django.
"""

from mizan.core import *  # noqa: F403  (the same public names)
from mizan.core import __all__ as __all__  # noqa: PLC0414
