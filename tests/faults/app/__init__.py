"""A test-only Django app for the fault tests: a flow with a database timer (the product has none
yet, but `notifications.tasks.fire_due_timers` runs every minute for the day it has one) and a
hook that stalls a chosen function inside a Celery worker so a test can kill it there."""
