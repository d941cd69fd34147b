"""Fault injection (issue 9, point 3): each fault, and the tests that inject it. The claim under
test is the same everywhere: no transition, reminder or publication is lost or duplicated.

1. The database connection drops mid-request (PostgreSQL ends the backend: pg_terminate_backend
   from a second connection, right before a chosen statement):
   - test_database_drop.py::test_a_review_decision_survives_a_dropped_connection
   - test_database_drop.py::test_an_approval_that_publishes_survives_a_dropped_connection
   - test_database_drop.py::test_a_public_request_survives_a_dropped_connection
     Each: error page, nothing half-written (every table counted, the rows re-read), the next
     request on a new connection, then the action once more: done exactly once.
   - test_database_drop.py::test_a_dropped_connection_leaves_no_applicants_file_behind
     (the applicant's stored file is removed with the rolled-back request)

2. Redis goes away (broker and cache):
   - tests/notifications/test_worker.py::test_redis_down_from_submit_to_eventual_delivery
     (submitting with the broker down; the outbox delivers once Redis is back)
   - tests/notifications/test_delivery.py::test_with_the_broker_away_work_goes_on_and_the_message_waits
   - test_redis_away.py::test_the_web_and_the_api_keep_working_with_redis_away
     (login, pages, item and public request submission, the API with production's Redis
     CACHES: still throttled, no 500; every task notice waits in the outbox)
   - test_redis_away.py::test_a_redis_that_hangs_holds_no_api_call_for_long
   - test_redis_away.py::test_the_counters_fall_back_to_the_process_and_return_to_redis

3. A worker crashes (SIGKILL to the whole worker at a chosen point, then a new worker):
   - tests/notifications/test_worker.py::test_a_worker_killed_mid_send_sends_once_after_restart
     (deliver)
   - test_worker_crash.py::test_a_sweep_killed_after_its_commit_tells_everyone_once
     (sweep_deadlines, between its commit and handing the sends to Redis)
   - test_worker_crash.py::test_timers_killed_mid_firing_fire_each_once (fire_due_timers)

4. A message delivered twice (in a row, and at the same moment):
   - sweep_deadlines: tests/notifications/test_sweep.py (in a row),
     tests/notifications/test_concurrent_sweeps.py (at once, both having read the same state),
     tests/notifications/test_worker.py::test_no_duplicates_under_double_delivery_and_concurrent_sweeps
     (four copies through a real worker)
   - deliver: the same test_worker.py test (three copies through a worker);
     test_double_delivery.py::test_a_delivery_delivered_again_while_its_send_hangs_goes_out_once
   - fire_due_timers: test_double_delivery.py::test_timers_fired_twice_in_a_row_fire_once,
     test_double_delivery.py::test_timers_fired_twice_at_once_fire_once
   - flush_outbox, and notify_task_available and deliver which it publishes:
     test_double_delivery.py::test_the_outbox_flushed_twice_in_a_row_tells_everyone_once,
     test_double_delivery.py::test_the_outbox_flushed_twice_at_once_tells_everyone_once
   - send_digests and deliver_digest: tests/notifications/test_delivery.py::
     test_the_daily_digest_collects_the_day_once and test_worker.py::
     test_preferences_and_the_daily_digest_through_a_real_worker (in a row);
     test_double_delivery.py::test_a_digest_built_again_while_it_goes_out_loses_nothing (at once)

Support: support.py (the connection drop, fingerprints, threads), app/ (a test-only flow with a
database timer, and the stall hook the workers load through worker_settings.py).
"""
