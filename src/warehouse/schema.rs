//! The canonical tables: their columns, types, keys and partitioning.
//!
//! `docs/schema.md` documents the same tables for people; a unit test keeps the
//! two in step.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};

/// Precision and scale of money columns: exact cents up to ten quadrillion.
pub const MONEY: DataType = DataType::Decimal128(18, 2);

/// How a table is split into Delta partitions, and what one ingest replaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// A district's own export: partitioned by `school_year, district_id`, so a
    /// district-year is its own folder and re-ingesting it rewrites nothing else.
    /// An ingest replaces the district-years it contains.
    DistrictYear,
    /// Reference rows that state and national files bring for thousands of
    /// districts at once: partitioned by `school_year, source` so a national file
    /// stays a few large files. An ingest replaces the district-years it contains
    /// whatever their source (one row per school and year).
    SharedBySource,
    /// Published figures: partitioned like `SharedBySource`, and an ingest
    /// replaces the district-years it contains *from its own source only*, since
    /// several publications describe the same district-year.
    PublishedBySource,
}

impl Layout {
    /// The Delta partition columns.
    pub fn partition_columns(self) -> &'static [&'static str] {
        match self {
            Layout::DistrictYear => &["school_year", "district_id"],
            Layout::SharedBySource | Layout::PublishedBySource => {
                &["school_year", "source"]
            }
        }
    }

    /// Whether a re-ingest replaces only rows of the same source.
    pub fn replaces_by_source(self) -> bool {
        matches!(self, Layout::PublishedBySource)
    }
}

/// One column of a canonical table.
#[derive(Debug, Clone)]
pub struct ColumnSpec {
    /// column name
    pub name: &'static str,
    /// Arrow type stored in the warehouse
    pub data_type: DataType,
    /// a row without a value is rejected
    pub required: bool,
    /// the only values allowed, if limited
    pub allowed: &'static [&'static str],
    /// what the column means, with its unit
    pub doc: &'static str,
}

/// One canonical table.
#[derive(Debug, Clone)]
pub struct TableSpec {
    /// table name
    pub name: &'static str,
    /// what one row is
    pub grain: &'static str,
    /// the columns that identify a row within a district-year (and source)
    pub key: &'static [&'static str],
    /// whether an ingest refuses rows repeating the key: true for entities,
    /// false for ledgers and registers, where a void and its reissue, or one
    /// line split into several rows, legitimately share it
    pub unique_key: bool,
    /// partitioning and replacement
    pub layout: Layout,
    /// the table's own columns, after the lineage columns every table has
    pub columns: Vec<ColumnSpec>,
}

/// The data-quality rules, as data/reference/dq_rule.csv lists them (a unit
/// test holds the two together).
pub const DQ_RULES: &[&str] = &[
    "DQ-F01", "DQ-F02", "DQ-F03", "DQ-F04", "DQ-F05", "DQ-F06", "DQ-F07", "DQ-F08",
    "DQ-F09", "DQ-F10", "DQ-P01", "DQ-P02", "DQ-P03", "DQ-P04", "DQ-P05", "DQ-P06",
    "DQ-P07", "DQ-S01", "DQ-S02", "DQ-S03", "DQ-S04", "DQ-S05", "DQ-S06", "DQ-S07",
    "DQ-S08", "DQ-S09", "DQ-T01", "DQ-T02", "DQ-T03", "DQ-T04", "DQ-A04",
];

fn col(name: &'static str, data_type: DataType, doc: &'static str) -> ColumnSpec {
    ColumnSpec {
        name,
        data_type,
        required: false,
        allowed: &[],
        doc,
    }
}

fn req(name: &'static str, data_type: DataType, doc: &'static str) -> ColumnSpec {
    ColumnSpec {
        required: true,
        ..col(name, data_type, doc)
    }
}

fn one_of(mut c: ColumnSpec, allowed: &'static [&'static str]) -> ColumnSpec {
    c.allowed = allowed;
    c
}

const TEXT: DataType = DataType::Utf8;
const YEAR: DataType = DataType::Int32;
const INT: DataType = DataType::Int32;
const DATE: DataType = DataType::Date32;
const BOOL: DataType = DataType::Boolean;
/// Full-time equivalents and shares, to a thousandth.
const FTE: DataType = DataType::Decimal128(9, 3);
/// Student counts that may be fractional (FTE enrollment, average daily membership).
const COUNT: DataType = DataType::Decimal128(20, 8);
/// Published ratios and averages, as published (up to six decimals).
const RATIO: DataType = DataType::Decimal128(18, 6);

/// Columns every canonical table starts with.
pub fn lineage_columns() -> Vec<ColumnSpec> {
    vec![
        req(
            "district_id",
            TEXT,
            "district id as the source writes it (leading zeros kept)",
        ),
        req(
            "school_year",
            YEAR,
            "ending year of the school year: 2024 = 2023-24",
        ),
        req(
            "source",
            TEXT,
            "the mapping's source name, e.g. `ak_gl_kake_city`",
        ),
        req("load_id", TEXT, "id of the ingest that wrote the row"),
        col("source_file", TEXT, "raw file the row came from"),
        col(
            "source_line",
            DataType::Int64,
            "line of the raw file (1 = header)",
        ),
    ]
}

/// Names of the lineage columns.
pub const LINEAGE: [&str; 6] = [
    "district_id",
    "school_year",
    "source",
    "load_id",
    "source_file",
    "source_line",
];

/// Every canonical table, in the order documentation lists them.
pub fn tables() -> Vec<TableSpec> {
    vec![
        TableSpec {
            name: "school",
            grain: "one school in one school year",
            key: &["school_id"],
            unique_key: true,
            layout: Layout::SharedBySource,
            columns: vec![
                req(
                    "school_id",
                    TEXT,
                    "school id within the district (NCES 12-character id for CCD rows)",
                ),
                col("school_name", TEXT, "name"),
                col("district_name", TEXT, "name of the district"),
                col("state", TEXT, "two-letter state code"),
                col("city", TEXT, "city"),
                one_of(
                    col("level", TEXT, "elementary, middle, high, other"),
                    &["elementary", "middle", "high", "other"],
                ),
                col("grade_low", TEXT, "lowest grade offered: PK, K, 1..12, UG"),
                col("grade_high", TEXT, "highest grade offered"),
                col("is_charter", BOOL, "charter school"),
                col("is_title_i", BOOL, "Title I school"),
                col(
                    "square_feet",
                    DataType::Decimal128(12, 0),
                    "building area, square feet",
                ),
            ],
        },
        TableSpec {
            name: "student",
            grain: "one student in one school year, with that year's attributes",
            key: &["student_id"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req(
                    "student_id",
                    TEXT,
                    "pseudonymous student id, stable across years",
                ),
                col("birth_year", INT, "year of birth"),
                col("sex", TEXT, "F, M, X"),
                col("race", TEXT, "federal race/ethnicity category"),
                col(
                    "is_econ_disadv",
                    BOOL,
                    "economically disadvantaged (poverty)",
                ),
                col("is_el", BOOL, "English learner"),
                col("is_swd", BOOL, "student with a disability (IEP)"),
                col(
                    "sped_setting",
                    TEXT,
                    "special-education setting: inclusion, resource, self_contained",
                ),
                col("sped_minutes_week", INT, "IEP service minutes per week"),
                col("is_gifted", BOOL, "gifted and talented"),
                col("is_homeless", BOOL, "homeless"),
            ],
        },
        TableSpec {
            name: "student_enrollment",
            grain: "one spell of a student at a school",
            key: &["student_id", "school_id", "entry_date"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req("student_id", TEXT, "student"),
                req("school_id", TEXT, "school"),
                col("grade", TEXT, "grade level: PK, K, 1..12"),
                req("entry_date", DATE, "first day enrolled"),
                col(
                    "exit_date",
                    DATE,
                    "last day enrolled; NULL = still enrolled",
                ),
                col("fte", FTE, "enrollment FTE, 1.000 = full time"),
                col("is_primary", BOOL, "the student's primary school"),
            ],
        },
        TableSpec {
            name: "staff",
            grain: "one staff member in one school year",
            key: &["staff_id"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req(
                    "staff_id",
                    TEXT,
                    "pseudonymous staff id, stable across years",
                ),
                col("birth_year", INT, "year of birth"),
                col("hire_date", DATE, "first day in the district"),
                col(
                    "years_experience",
                    DataType::Decimal128(5, 1),
                    "total years of experience at the start of the year",
                ),
                col(
                    "years_in_district",
                    DataType::Decimal128(5, 1),
                    "years in this district",
                ),
                col("degree", TEXT, "highest degree: BA, MA, PHD, none"),
                col("sex", TEXT, "F, M, X"),
                col("race", TEXT, "federal race/ethnicity category"),
            ],
        },
        TableSpec {
            name: "staff_assignment",
            grain: "one assignment of a staff member to a school or central office",
            key: &["staff_id", "assignment_id"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req("staff_id", TEXT, "staff member"),
                req(
                    "assignment_id",
                    TEXT,
                    "id of the assignment (position number or sequence)",
                ),
                col("school_id", TEXT, "school; NULL for central office"),
                col(
                    "department",
                    TEXT,
                    "central department when not at a school",
                ),
                req(
                    "classification",
                    TEXT,
                    "role: teacher, principal, assistant_principal, counselor, aide, sped_teacher, el_teacher, nurse, librarian, coach, clerical, custodian, central_admin, other",
                ),
                col("subject", TEXT, "teaching subject"),
                req("fte", FTE, "FTE of this assignment"),
                col("begin_date", DATE, "first day"),
                col("end_date", DATE, "last day; NULL = open"),
                col(
                    "base_salary",
                    MONEY,
                    "annual base salary of the assignment at its FTE (a half-time \
                     position on a 60,000 scale: 30,000), dollars",
                ),
            ],
        },
        TableSpec {
            name: "section",
            grain: "one class section in one term",
            key: &["section_id"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req("section_id", TEXT, "section"),
                req("school_id", TEXT, "school"),
                col("term", TEXT, "term name: year, fall, spring"),
                col("course_code", TEXT, "course"),
                col("course_name", TEXT, "course title"),
                col(
                    "subject",
                    TEXT,
                    "ela, math, science, social_studies, world_language, arts, pe, cte, sped, el, self_contained (elementary homerooms), other",
                ),
                col("grade_low", TEXT, "lowest grade in the section"),
                col("grade_high", TEXT, "highest grade in the section"),
                one_of(
                    col(
                        "program_type",
                        TEXT,
                        "gened, sped_selfcontained, sped_resource, el, ap, honors, cte, intervention",
                    ),
                    &[
                        "gened",
                        "sped_selfcontained",
                        "sped_resource",
                        "el",
                        "ap",
                        "honors",
                        "cte",
                        "intervention",
                        "other",
                    ],
                ),
                col("minutes_per_week", INT, "scheduled minutes per week"),
                col("term_begin", DATE, "first day of the term"),
                col("term_end", DATE, "last day of the term"),
                col("room_capacity", INT, "seats in the room"),
                col(
                    "period",
                    TEXT,
                    "meeting period: sections of one school with the same period and \
                     overlapping terms meet at the same time (A/B days in the code: A3)",
                ),
                col("room_id", TEXT, "room the section meets in"),
            ],
        },
        TableSpec {
            name: "staff_section",
            grain: "one staff member on one section",
            key: &["staff_id", "section_id"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req("staff_id", TEXT, "staff member"),
                req("section_id", TEXT, "section"),
                one_of(
                    req(
                        "role",
                        TEXT,
                        "teacher_of_record, co_teacher, assistant, support",
                    ),
                    &["teacher_of_record", "co_teacher", "assistant", "support"],
                ),
                col(
                    "percentage_contribution",
                    DataType::Decimal128(5, 4),
                    "share of the section taught, 0-1",
                ),
                col("begin_date", DATE, "first day"),
                col("end_date", DATE, "last day"),
            ],
        },
        TableSpec {
            name: "student_section",
            grain: "one student in one section for one spell",
            key: &["student_id", "section_id", "begin_date"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req("student_id", TEXT, "student"),
                req("section_id", TEXT, "section"),
                req("begin_date", DATE, "first day in the section"),
                col("end_date", DATE, "last day; NULL = to the end of the term"),
            ],
        },
        TableSpec {
            name: "assessment_result",
            grain: "one student's result on one test",
            key: &["student_id", "assessment", "subject"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req("student_id", TEXT, "student"),
                req("assessment", TEXT, "test name"),
                req("subject", TEXT, "ela, math, science"),
                col("grade_tested", TEXT, "grade tested"),
                col("administration_date", DATE, "date taken"),
                col("scale_score", DataType::Decimal128(8, 2), "scale score"),
                col("performance_level", INT, "1 (lowest) to 4 or 5"),
                col("is_proficient", BOOL, "met the proficiency standard"),
            ],
        },
        TableSpec {
            name: "gl_line",
            grain: "one general-ledger line (a posting, budget or encumbrance)",
            key: &["source_file", "source_line"],
            unique_key: false,
            layout: Layout::DistrictYear,
            columns: vec![
                req(
                    "amount",
                    MONEY,
                    "signed dollars as posted: positive = debit, negative = credit (spending is a debit to an expenditure account)",
                ),
                one_of(
                    req("line_type", TEXT, "actual, budget, encumbrance"),
                    &["actual", "budget", "encumbrance"],
                ),
                col("posting_date", DATE, "date posted"),
                col(
                    "fiscal_year",
                    YEAR,
                    "fiscal year the source states (ending year)",
                ),
                col("fiscal_period", TEXT, "period as the source writes it"),
                col(
                    "chart",
                    TEXT,
                    "chart of accounts the codes follow: nces (2014 handbook), ak_uniform (Alaska), ...; NULL = not stated",
                ),
                col("account_id", TEXT, "full account string"),
                col("fund", TEXT, "fund code, as the source writes it"),
                col("function", TEXT, "function code"),
                col("object", TEXT, "object code"),
                col("program", TEXT, "program code"),
                col("project", TEXT, "project, grant or resource code"),
                col(
                    "location_id",
                    TEXT,
                    "school or site code; central codes as the source writes them",
                ),
                col("account_name", TEXT, "account or object name"),
                col("description", TEXT, "line description"),
                col("vendor", TEXT, "vendor (pseudonymous in the bundled data)"),
                col(
                    "journal_id",
                    TEXT,
                    "journal, batch or transaction reference",
                ),
            ],
        },
        TableSpec {
            name: "payroll_line",
            grain: "one pay of one employee charged to one account",
            key: &["staff_id", "pay_date", "account_id", "earnings_type"],
            unique_key: false,
            layout: Layout::DistrictYear,
            columns: vec![
                req("staff_id", TEXT, "employee"),
                col("pay_date", DATE, "pay date"),
                col(
                    "chart",
                    TEXT,
                    "chart of accounts the codes follow (as in gl_line)",
                ),
                col("account_id", TEXT, "account charged"),
                col("fund", TEXT, "fund code"),
                col("function", TEXT, "function code"),
                col("object", TEXT, "salary object code"),
                col("location_id", TEXT, "school or site charged"),
                col(
                    "earnings_type",
                    TEXT,
                    "regular, stipend, overtime, substitute, leave",
                ),
                req("gross", MONEY, "gross pay, dollars"),
                col(
                    "employer_benefits",
                    MONEY,
                    "employer-paid benefits on this pay, dollars",
                ),
                col("hours", DataType::Decimal128(9, 2), "hours paid"),
                col("fte", FTE, "FTE of the position paid"),
            ],
        },
        TableSpec {
            name: "chart_account",
            grain: "one account the district's finance system accepts that year \
                    (Ed-Fi ChartOfAccount); DQ-F02 reports ledger lines on any other",
            key: &["account_id"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req(
                    "account_id",
                    TEXT,
                    "full account string, as gl_line.account_id writes it",
                ),
                col("account_name", TEXT, "account description"),
            ],
        },
        TableSpec {
            name: "coa_crosswalk",
            grain: "one rule mapping a district's local account codes onto the NCES chart, \
                    overriding the bundled crosswalks (data/crosswalks) for that district-year",
            key: &["chart", "dimension", "pattern"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req(
                    "chart",
                    TEXT,
                    "chart of accounts the local codes follow (gl_line.chart)",
                ),
                one_of(
                    req("dimension", TEXT, "account dimension the pattern reads"),
                    &["fund", "function", "object", "program", "location"],
                ),
                req(
                    "pattern",
                    TEXT,
                    "local code, or SQL LIKE pattern (% and _); (blank) matches an empty code",
                ),
                col(
                    "target",
                    TEXT,
                    "NCES code the local code means; for location, the school id (empty = the code itself for a school, none for central)",
                ),
                one_of(
                    col("level", TEXT, "where spending on this code belongs"),
                    &["school", "school_serving", "central", "excluded"],
                ),
                one_of(
                    col("category", TEXT, "spending category (docs/resource_map.md)"),
                    &[
                        "teaching_general",
                        "teaching_special_ed",
                        "teaching_ell",
                        "teaching_other",
                        "instructional_support",
                        "pupil_services",
                        "school_leadership",
                        "school_operations",
                        "transportation",
                        "food_service",
                        "student_activities",
                        "central_office",
                        "enterprise",
                        "community_services",
                        "capital",
                        "debt_service",
                        "not_expenditure",
                    ],
                ),
                one_of(
                    col("fund_source", TEXT, "federal or state and local money"),
                    &["federal", "state_local"],
                ),
                col("note", TEXT, "why"),
            ],
        },
        TableSpec {
            name: "allocation_rule",
            grain: "one rule for spreading central spending over schools, overriding the \
                    bundled defaults (data/rules/allocation_rule_default.csv)",
            key: &["rule_id"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req(
                    "rule_id",
                    TEXT,
                    "rule name, reported on every allocated row",
                ),
                req(
                    "priority",
                    INT,
                    "among rules matching a line, the highest priority wins",
                ),
                col(
                    "function_pattern",
                    TEXT,
                    "NCES function, SQL LIKE pattern; empty = any",
                ),
                col(
                    "object_pattern",
                    TEXT,
                    "NCES object, SQL LIKE pattern; empty = any",
                ),
                col(
                    "program_pattern",
                    TEXT,
                    "NCES program, SQL LIKE pattern; empty = any",
                ),
                col(
                    "category_pattern",
                    TEXT,
                    "spending category, LIKE pattern; empty = any",
                ),
                req(
                    "driver",
                    TEXT,
                    "what spreads the pool over schools: enrollment, student_days, staff_fte, teacher_fte, swd_students, el_students, econ_disadv_students, sections, square_feet, schools, a driver loaded into school_driver (riders, share ...), or stays_central",
                ),
                col("note", TEXT, "why this driver"),
            ],
        },
        TableSpec {
            name: "need_weight",
            grain: "one weight of the school need index, replacing the bundled weights \
                    (data/reference/need_weight.csv) for that district-year",
            key: &["method", "factor"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                one_of(
                    req("method", TEXT, "need index method"),
                    &["weighted_pupil", "academic", "composite_z"],
                ),
                one_of(
                    req("factor", TEXT, "need factor"),
                    &["econ_disadv", "el", "swd", "low_prior"],
                ),
                req(
                    "weight",
                    DataType::Decimal128(6, 3),
                    "the factor's weight in the method",
                ),
            ],
        },
        TableSpec {
            name: "dq_threshold",
            grain: "one data-quality rule's severity and thresholds for a district-year, \
                    replacing the bundled ones (data/reference/dq_rule.csv)",
            key: &["rule_id"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                one_of(
                    req(
                        "rule_id",
                        TEXT,
                        "rule, as data/reference/dq_rule.csv names it",
                    ),
                    DQ_RULES,
                ),
                one_of(
                    col(
                        "severity",
                        TEXT,
                        "severity of its findings; empty = the rule's",
                    ),
                    &["info", "warn", "error"],
                ),
                col(
                    "low",
                    DataType::Decimal128(12, 4),
                    "lower bound; empty = the rule's",
                ),
                col(
                    "high",
                    DataType::Decimal128(12, 4),
                    "upper bound; empty = the rule's",
                ),
            ],
        },
        TableSpec {
            name: "school_driver",
            grain: "one measured driver of one school (riders, square feet, an explicit share)",
            key: &["school_id", "driver"],
            unique_key: true,
            layout: Layout::DistrictYear,
            columns: vec![
                req("school_id", TEXT, "school"),
                req(
                    "driver",
                    TEXT,
                    "driver name as allocation_rule uses it: riders, square_feet, share, ...",
                ),
                req(
                    "value",
                    DataType::Decimal128(18, 6),
                    "the school's amount of it (>= 0)",
                ),
            ],
        },
        TableSpec {
            name: "district_profile",
            grain: "one publication's figures for one district (or state) in one year",
            key: &["district_id"],
            unique_key: true,
            layout: Layout::PublishedBySource,
            columns: vec![
                col("district_name", TEXT, "name"),
                col("state", TEXT, "two-letter state code"),
                one_of(
                    req(
                        "org_level",
                        TEXT,
                        "district, state, group (an average of a peer group)",
                    ),
                    &["district", "state", "group"],
                ),
                col(
                    "org_type",
                    TEXT,
                    "source's kind of agency, e.g. unified, charter, other",
                ),
                col(
                    "enrollment",
                    COUNT,
                    "pupils, as `enrollment_kind` counts them",
                ),
                one_of(
                    col(
                        "enrollment_kind",
                        TEXT,
                        "fall_membership, fte_enrollment, ade (average daily enrollment), adm",
                    ),
                    &["fall_membership", "fte_enrollment", "ade", "adm", "ada"],
                ),
                col("total_revenue", MONEY, "total revenue, dollars"),
                col("federal_revenue", MONEY, "federal revenue, dollars"),
                col("state_revenue", MONEY, "state revenue, dollars"),
                col("local_revenue", MONEY, "local revenue, dollars"),
                col(
                    "property_tax_revenue",
                    MONEY,
                    "property-tax revenue, dollars",
                ),
                col(
                    "total_expenditure",
                    MONEY,
                    "total spending as the source defines it, dollars",
                ),
                col(
                    "current_expenditure",
                    MONEY,
                    "current spending for el-sec education (F-33 TCURELSC), dollars",
                ),
                col("capital_outlay", MONEY, "capital outlay, dollars"),
                col(
                    "debt_service",
                    MONEY,
                    "debt service (interest and principal), dollars",
                ),
                col(
                    "per_pupil_published",
                    RATIO,
                    "the source's own per-pupil spending figure, dollars",
                ),
                col(
                    "per_pupil_definition",
                    TEXT,
                    "what the published per-pupil figure counts",
                ),
                col("teacher_fte", RATIO, "teachers, FTE"),
                col("licensed_fte", RATIO, "licensed staff, FTE"),
                col("sped_teacher_fte", RATIO, "special-education teachers, FTE"),
                col("pupil_teacher_ratio", RATIO, "published pupils per teacher"),
                col(
                    "avg_teacher_salary",
                    MONEY,
                    "published average teacher base salary, dollars",
                ),
                col(
                    "econ_disadv_share",
                    RATIO,
                    "published share of students economically disadvantaged, 0-1",
                ),
                col(
                    "el_share",
                    RATIO,
                    "published share of students English learners, 0-1",
                ),
                col(
                    "urbanicity",
                    TEXT,
                    "published urbanicity: city, suburb, town, rural (or rural / not rural where that is all a source says)",
                ),
            ],
        },
        TableSpec {
            name: "school_profile",
            grain: "one publication's figures for one school, optionally for one grade, program, subject, course or spending category",
            key: &[
                "school_id",
                "grade",
                "program",
                "subject",
                "course",
                "category",
            ],
            unique_key: true,
            layout: Layout::PublishedBySource,
            columns: vec![
                req("school_id", TEXT, "school id as the source writes it"),
                col("school_name", TEXT, "name"),
                col(
                    "grade",
                    TEXT,
                    "grade or grade band the row describes; NULL = whole school",
                ),
                col(
                    "program",
                    TEXT,
                    "program the row describes (GEN ED, CTT, SPEC ED ...)",
                ),
                col("subject", TEXT, "subject the row describes"),
                col("course", TEXT, "course the row describes"),
                col(
                    "category",
                    TEXT,
                    "spending or staffing category the row describes",
                ),
                col("students", COUNT, "students (membership or seats filled)"),
                col("sections", COUNT, "class sections"),
                col("avg_class_size", RATIO, "published average class size"),
                col("min_class_size", RATIO, "published smallest class"),
                col("max_class_size", RATIO, "published largest class"),
                col("teacher_fte", RATIO, "teachers, FTE"),
                col(
                    "students_per_teacher",
                    RATIO,
                    "published students per teacher",
                ),
                col(
                    "avg_teacher_salary",
                    MONEY,
                    "published average teacher base salary, dollars",
                ),
                col(
                    "avg_teacher_experience",
                    RATIO,
                    "published average years of teacher experience",
                ),
                col(
                    "spending_per_student",
                    RATIO,
                    "published spending per student in `category`, dollars",
                ),
                col(
                    "spending_share",
                    RATIO,
                    "published share of spending in `category`, 0-1 or percent as published",
                ),
                col(
                    "econ_disadv_share",
                    RATIO,
                    "published share of students economically disadvantaged, 0-1",
                ),
                col(
                    "el_share",
                    RATIO,
                    "published share of students English learners, 0-1",
                ),
                col(
                    "swd_share",
                    RATIO,
                    "published share of students in special education, 0-1",
                ),
            ],
        },
    ]
}

impl TableSpec {
    /// Lineage columns followed by the table's own.
    pub fn all_columns(&self) -> Vec<ColumnSpec> {
        let mut all = lineage_columns();
        all.extend(self.columns.iter().cloned());
        all
    }

    /// The Arrow schema stored in the warehouse.
    pub fn arrow_schema(&self) -> SchemaRef {
        let fields: Vec<Field> = self
            .all_columns()
            .iter()
            .map(|c| Field::new(c.name, c.data_type.clone(), !c.required))
            .collect();
        Arc::new(Schema::new(fields))
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<ColumnSpec> {
        self.all_columns().into_iter().find(|c| c.name == name)
    }
}

/// The canonical table called `name`.
pub fn table(name: &str) -> Option<TableSpec> {
    tables().into_iter().find(|t| t.name == name)
}

/// Names of all canonical tables.
pub fn table_names() -> Vec<&'static str> {
    tables().iter().map(|t| t.name).collect()
}

/// The reference part of `docs/schema.md`: every table's grain, key,
/// partitioning and columns, generated from the definitions above.
pub fn markdown() -> String {
    let mut out = String::new();
    for t in tables() {
        let layout = match t.layout {
            Layout::DistrictYear => {
                "a district's own export: an ingest replaces its district-years"
            }
            Layout::SharedBySource => {
                "shared reference rows: an ingest replaces its district-years, whatever their source"
            }
            Layout::PublishedBySource => {
                "published figures: an ingest replaces its district-years from the same source"
            }
        };
        let list = |names: &[&str]| {
            names
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        out.push_str(&format!(
            "### `{}`\n\nOne row: {}. Key within a district-year{}: {}{}. Partitioned by {}; {}.\n\n",
            t.name,
            t.grain,
            if t.layout.replaces_by_source() { " and source" } else { "" },
            list(t.key),
            if t.unique_key {
                " (an ingest rejects a row repeating it)"
            } else {
                " (not enforced: lines may repeat it, as a void and its reissue do)"
            },
            list(t.layout.partition_columns()),
            layout,
        ));
        out.push_str(
            "| column | type | required | meaning |\n| --- | --- | --- | --- |\n",
        );
        for c in &t.columns {
            let allowed = if c.allowed.is_empty() {
                String::new()
            } else {
                format!(" (one of: {})", c.allowed.join(", "))
            };
            out.push_str(&format!(
                "| `{}` | {} | {} | {}{} |\n",
                c.name,
                type_name(&c.data_type),
                if c.required { "yes" } else { "" },
                c.doc,
                allowed
            ));
        }
        out.push('\n');
    }
    out
}

/// A column type as resmap's documentation names it.
pub fn type_name(t: &DataType) -> String {
    match t {
        DataType::Utf8 => "text".into(),
        DataType::Int32 => "int".into(),
        DataType::Int64 => "bigint".into(),
        DataType::Date32 => "date".into(),
        DataType::Boolean => "bool".into(),
        DataType::Decimal128(18, 2) => "money, decimal(18,2)".into(),
        DataType::Decimal128(p, s) => format!("decimal({p},{s})"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_list_is_the_bundled_rule_file() {
        let file = include_str!("../../data/reference/dq_rule.csv");
        let ids: Vec<&str> = file
            .lines()
            .filter(|l| l.starts_with("DQ-"))
            .map(|l| l.split(',').next().unwrap_or_default())
            .collect();
        assert_eq!(ids, DQ_RULES);
    }

    #[test]
    fn docs_describe_the_tables_as_defined() {
        let doc = include_str!("../../docs/schema.md");
        assert!(
            doc.contains(&markdown()),
            "docs/schema.md is out of date: replace its table reference with the output \
             of `cargo test --lib print_schema_markdown -- --ignored --nocapture`"
        );
    }

    #[test]
    #[ignore = "prints the table reference for docs/schema.md; run by hand after a schema change"]
    fn print_schema_markdown() {
        print!("{}", markdown());
    }

    #[test]
    fn keys_and_partitions_name_real_columns() {
        for t in tables() {
            for k in t.key.iter().chain(t.layout.partition_columns()) {
                assert!(t.column(k).is_some(), "{}: key column {k} missing", t.name);
            }
            let names: Vec<_> = t.all_columns().iter().map(|c| c.name).collect();
            let mut dedup = names.clone();
            dedup.sort();
            dedup.dedup();
            assert_eq!(names.len(), dedup.len(), "{} repeats a column", t.name);
        }
    }
}
