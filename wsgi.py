from crmweb import create_app
from crmweb.warm_up import warm_up

app = create_app()
warm_up(app)
