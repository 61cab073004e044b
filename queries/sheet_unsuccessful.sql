-- Workbook sheet "Unsuccessful": in-scope requests that returned no data.
SELECT endpoint, status, reason, requests FROM unsuccessful_by_status
