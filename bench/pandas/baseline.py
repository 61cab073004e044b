"""Baseline B of `make bench`: what analysts do today.

The same core work as baseline A (bench/floor/floor.sql) in pandas, the way
an analyst would write it in a notebook: read the customer CSV and every
JSON-lines log file into data frames, keep the attacker's successful
requests, extract the identifier, join, group per customer, write a CSV.
Run with Debian's python3-pandas: python3 baseline.py CASE_DIR OUT_CSV.
It prints the number of exposed customers.
"""

import glob
import gzip
import io
import json
import os
import sys
import urllib.parse

import pandas as pd


COLUMNS = ["ts", "client", "api_key", "method", "path", "query", "status", "bytes"]


def read_logs(pattern):
    """One data frame of every log file, keeping the columns the work needs."""
    frames = []
    for path in sorted(glob.glob(pattern)):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8", errors="replace") as f:
            # Damaged lines exist in every case; pandas refuses a file with
            # one, so an analyst drops them first.
            text = "".join(line for line in f if _is_json(line))
        frames.append(pd.read_json(io.StringIO(text), lines=True, dtype=False, convert_dates=False)[COLUMNS])
        del text
    return pd.concat(frames, ignore_index=True)


def _is_json(line):
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def nanp(digits):
    return digits.where(~((digits.str.len() == 11) & digits.str.startswith("1")), digits.str[1:])


def main(case_dir, out):
    customers = pd.read_csv(os.path.join(case_dir, "customers.csv"), dtype=str, keep_default_na=False)
    logs = read_logs(os.path.join(case_dir, "logs", "*.jsonl*"))

    ts = pd.to_datetime(logs["ts"], errors="coerce", utc=True)
    ip = logs["client"].map(lambda c: c.get("ip", "") if isinstance(c, dict) else "")
    attacker = logs[
        (ip.str.startswith("203.0.113.") | (logs["api_key"] == "key-partner-7731"))
        & (ts >= pd.Timestamp("2022-11-25", tz="UTC"))
        & (ts < pd.Timestamp("2023-01-06", tz="UTC"))
        & (logs["method"] == "GET")
        & pd.to_numeric(logs["status"], errors="coerce").between(200, 299)
        & (pd.to_numeric(logs["bytes"], errors="coerce") >= 1)
    ].assign(ts=ts)

    lines = attacker[attacker["path"] == "/api/v1/lines"]
    msisdn = lines["query"].str.extract(r"(?:^|&)msisdn=([^&]*)", expand=False).fillna("")
    phone_hits = lines.assign(
        key=nanp(msisdn.map(urllib.parse.unquote).str.replace(r"[^0-9]", "", regex=True)), kind="phone"
    )
    accounts = attacker[attacker["path"].str.startswith("/api/v1/accounts/")]
    acct = accounts["path"].str.extract(r"^/api/v1/accounts/([0-9]+)$", expand=False)
    account_hits = accounts.assign(key=pd.to_numeric(acct, errors="coerce"), kind="account")

    cust_phone = customers.assign(key=nanp(customers["phone"].str.replace(r"[^0-9]", "", regex=True)))
    cust_acct = customers.assign(key=pd.to_numeric(customers["account_no"], errors="coerce"))

    hits = pd.concat(
        [
            phone_hits[phone_hits["key"] != ""].merge(cust_phone[["cust_id", "key"]], on="key"),
            account_hits.dropna(subset=["key"]).merge(cust_acct[["cust_id", "key"]].dropna(), on="key"),
        ],
        ignore_index=True,
    )
    exposed = (
        hits.groupby("cust_id")
        .agg(requests=("ts", "size"), first_exposed=("ts", "min"), last_exposed=("ts", "max"),
             full_record=("kind", lambda k: (k == "account").any()))
        .reset_index()
        .rename(columns={"cust_id": "customer_id"})
        .sort_values("customer_id")
    )
    exposed.to_csv(out, index=False)
    print("exposed_customers", len(exposed))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
