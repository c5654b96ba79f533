"""Placeholder until the page is built."""

from ui import common

common.page_setup("tenancy_fraud")
