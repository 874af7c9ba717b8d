from crmweb import create_app

app = create_app()
