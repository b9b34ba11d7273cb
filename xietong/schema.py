"""Every table of the product, for alembic and for the models-versus-migrations check."""

from sqlmodel import SQLModel

from xietong.console import models as console_models  # noqa: F401
from xietong.core import models as core_models  # noqa: F401
from xietong.customers import models as customer_models  # noqa: F401
from xietong.finance import models as finance_models  # noqa: F401
from xietong.logistics import models as logistics_models  # noqa: F401
from xietong.meetings import models as meeting_models  # noqa: F401
from xietong.orders import models as order_models  # noqa: F401
from xietong.parties import models as party_models  # noqa: F401
from xietong.scheduling import models as scheduling_models  # noqa: F401
from xietong.targets import models as target_models  # noqa: F401

metadata = SQLModel.metadata
