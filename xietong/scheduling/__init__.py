"""Scheduled work (SPEC §7): working days and working time, periods of the announcements,
posting each period exactly once, the weekly brief, the collection digest and escalations.

Pure domain: nothing here imports NoneBot; ``plugins/scheduler`` wires it to APScheduler and QQ.
"""
