"""Web page controllers (HTML). Each role's pages add their controller to `HANDLERS`."""

from litestar import Controller

from pool.web.controllers.account import AccountController
from pool.web.controllers.home import HomeController
from pool.web.controllers.pools import PublicPoolController

HANDLERS: tuple[type[Controller], ...] = (AccountController, HomeController, PublicPoolController)
