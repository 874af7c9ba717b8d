from crmweb import create_app, warm_up

app = create_app()
warm_up(app)
