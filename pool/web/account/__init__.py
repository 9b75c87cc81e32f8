"""The pages every user has, whatever the role: signing in and out, the password and the
language switch (`login`; the sign-in form and the language switch also serve visitors), the
landing page and the user's own organisation (`home`), and the progress page of a background
task the user started (`tasks`, which the role pages call to start one). Every role sees
them; apart from signing in, out and the language they need a session, and each shows only
the signed-in user's own things: another user's task is not found (404). The type-ahead
suggestions of long choices are here too (`pickers`), each as scoped as the list it narrows.
"""

from pool.web.account.home import HomeController
from pool.web.account.login import AccountController
from pool.web.account.pickers import PickersController
from pool.web.account.tasks import TasksController

__all__ = ["AccountController", "HomeController", "PickersController", "TasksController"]
