"""Decimal conventions: quantities 4 places, prices and unit costs 6, amounts 2."""

from django.db import models


def quantity_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=4, **kwargs)


def price_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=20, decimal_places=6, **kwargs)


def amount_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **kwargs)
