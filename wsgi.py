from crmweb import create_app

# gunicorn warms it up before serving (gunicorn.conf.py); the `flask` commands need no warm-up.
app = create_app()
