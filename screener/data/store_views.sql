-- Views an analyst starts from (DESIGN §9). Read by: screener.store_sql.views_sql, run on every
-- writable open of the database, so a newer screener replaces them.
-- Every view spans all runs and carries run_id: filter on it, or join `runs`, for one night.

-- Entry lines with at least one flag of weight > 0 or an entity hit: the flag rules aggregated,
-- their evidence in one sentence, and the best hit (highest score) spelled out.
CREATE OR REPLACE VIEW flagged_lines AS
WITH scored AS (
    SELECT
        e.*,
        list_filter(e.origin_flags, lambda f: f.weight > 0) AS _flags,
        list_sort(
            list_transform(e.match_hits, lambda h: {'score': h.score, 'hit': h}), 'DESC'
        )[1].hit AS _best
    FROM entries AS e
)
SELECT
    run_id, entry_number, line_number, entry_date, source, row_number,
    importer_id, supplier_name, manufacturer_id, manufacturer_name,
    country_of_origin, country_of_export, hts_code, entered_value_usd,
    duty_class, duty_rate_pct, duty_usd, origin_risk,
    coalesce(len(_flags), 0) AS flag_count,
    list_sort(list_distinct(list_transform(_flags, lambda f: f.rule))) AS flag_rules,
    array_to_string(
        list_transform(_flags, lambda f: concat(f.rule, ' (', f.severity, '): ', f.evidence)), '; '
    ) AS flag_evidence,
    coalesce(len(match_hits), 0) AS hit_count,
    match_confirmed,
    _best.score AS best_hit_score,
    _best.party AS best_hit_party,
    _best.list_id AS best_hit_list_id,
    _best.list_version AS best_hit_list_version,
    _best.entity_id AS best_hit_entity_id,
    _best.matched_name AS best_hit_matched_name,
    _best.explanation AS best_hit_explanation
FROM scored
WHERE coalesce(len(_flags), 0) > 0 OR coalesce(len(match_hits), 0) > 0
;

-- Lines held for origin verification, with every flag's evidence (weight-0 flags included).
CREATE OR REPLACE VIEW holds AS
SELECT
    run_id, entry_number, line_number, entry_date, importer_id, supplier_name,
    manufacturer_id, manufacturer_name, country_of_origin, country_of_export, hts_code,
    duty_mineral, duty_stage, entered_value_usd, origin_risk, duty_rate_pct, duty_usd,
    duty_reason, match_best_score,
    list_transform(origin_flags, lambda f: f.rule) AS flag_rules,
    array_to_string(
        list_transform(origin_flags, lambda f: concat(f.rule, ' (', f.severity, '): ', f.evidence)),
        '; '
    ) AS flag_evidence
FROM entries
WHERE duty_class = 'HOLD_VERIFY'
;

-- Per run, supplier and listed entity: how many lines, how much value, and the best match.
-- A line counts once per entity and party even when several names of the entity matched it.
CREATE OR REPLACE VIEW supplier_hits AS
WITH line_hits AS (
    SELECT
        run_id, entry_number, line_number, supplier_name,
        any_value(entered_value_usd) AS entered_value_usd,
        _hit.party AS party, _hit.list_id AS list_id, _hit.entity_id AS entity_id,
        max(_hit.score) AS score,
        arg_max(_hit.matched_name, _hit.score) AS matched_name,
        arg_max(_hit.list_version, _hit.score) AS list_version,
        arg_max(_hit.explanation, _hit.score) AS explanation
    FROM (
        SELECT run_id, entry_number, line_number, supplier_name, entered_value_usd,
               UNNEST(match_hits) AS _hit
        FROM entries
    )
    GROUP BY ALL
)
SELECT
    run_id, supplier_name, party, list_id, entity_id,
    count(*) AS lines,
    sum(entered_value_usd) AS entered_value_usd,
    max(score) AS max_score,
    arg_max(matched_name, score) AS matched_name,
    arg_max(list_version, score) AS list_version,
    arg_max(explanation, score) AS explanation
FROM line_hits
GROUP BY run_id, supplier_name, party, list_id, entity_id
;

-- Lines, value and duty per run and duty class; duty_usd sums the computable lines only.
CREATE OR REPLACE VIEW duty_by_class AS
SELECT
    run_id,
    duty_class,
    count(*) AS lines,
    sum(entered_value_usd) AS entered_value_usd,
    sum(duty_usd) AS duty_usd,
    sum(duty_trust_fund_usd) AS trust_fund_usd,
    count(*) FILTER (WHERE duty_computable IS NOT TRUE OR duty_usd IS NULL) AS lines_not_computable
FROM entries
GROUP BY run_id, duty_class
;

-- Duty feeding the critical-minerals trust fund per run, and its split (DESIGN §7).
-- The shares come from the run's summary JSON key "trust_fund_shares"
-- ({"doe_lpo": .., "dod": .., "dfc": ..}, written by the pipeline from the ruleset) when present;
-- a share missing there falls back to the bill's split: 60% DOE LPO, 20% DoD, 20% DFC.
CREATE OR REPLACE VIEW trust_fund AS
WITH shares AS (
    SELECT
        run_id,
        coalesce(
            TRY_CAST(json_extract_string(summary, '$.trust_fund_shares.doe_lpo') AS DOUBLE), 0.6
        ) AS doe_lpo_share,
        coalesce(
            TRY_CAST(json_extract_string(summary, '$.trust_fund_shares.dod') AS DOUBLE), 0.2
        ) AS dod_share,
        coalesce(
            TRY_CAST(json_extract_string(summary, '$.trust_fund_shares.dfc') AS DOUBLE), 0.2
        ) AS dfc_share
    FROM runs
),
totals AS (
    SELECT
        run_id,
        count(*) FILTER (WHERE duty_trust_fund_usd > 0) AS lines,
        coalesce(sum(duty_trust_fund_usd), 0) AS trust_fund_usd
    FROM entries
    GROUP BY run_id
)
SELECT
    s.run_id,
    coalesce(t.lines, 0) AS lines,
    coalesce(t.trust_fund_usd, 0) AS trust_fund_usd,
    coalesce(t.trust_fund_usd, 0) * s.doe_lpo_share AS doe_lpo_usd,
    coalesce(t.trust_fund_usd, 0) * s.dod_share AS dod_usd,
    coalesce(t.trust_fund_usd, 0) * s.dfc_share AS dfc_usd,
    s.doe_lpo_share, s.dod_share, s.dfc_share
FROM shares AS s
LEFT JOIN totals AS t USING (run_id)
;

-- The version of each entity list the database knows as current: the one most recently
-- recorded by `screener lists update` or screened with (runs.list_versions). The allowlist checks
-- an entity against it.
CREATE OR REPLACE VIEW current_list_versions AS
WITH seen AS (
    SELECT list_id, list_version, loaded_at AS seen_at FROM list_versions
    UNION ALL
    SELECT k AS list_id, list_versions->>k AS list_version, started_at AS seen_at
    FROM runs, unnest(json_keys(list_versions)) AS t(k)
)
SELECT list_id, arg_max(list_version, seen_at) AS list_version, max(seen_at) AS seen_at
FROM seen
GROUP BY list_id
;

-- Each allowlist decision with its state: revoked, expired (after expires_at, UTC), lapsed (a run or
-- `lists update` saw the entity's names change), else active. Suppressed hits: suppressed_hits.
CREATE OR REPLACE VIEW allowlist_decisions AS
SELECT
    a.*,
    CASE
        WHEN a.revoked_at IS NOT NULL THEN 'revoked'
        WHEN a.expires_at < CAST(timezone('UTC', now()) AS DATE) THEN 'expired'
        WHEN EXISTS (
            SELECT 1 FROM allowlist_audit AS l
            WHERE l.allowlist_id = a.allowlist_id AND l.action = 'lapse'
        ) THEN 'lapsed'
        ELSE 'active'
    END AS state
FROM allowlist AS a
;
