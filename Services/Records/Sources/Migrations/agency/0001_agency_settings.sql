\include agency_settings.sql
