"""The gift area's settings."""
from crmweb.settings import declare

declare({
    "gifts.visit_souvenir": 0,  # the gift (id) visitors receive one each of; 0: not drawn from stock
})
