// TEMPORARY investigation helper (not to be committed).
use sqlx::{AssertSqlSafe, Row, SqlitePool};
use std::time::Instant;

fn filter(n_terms: usize) -> String {
    let mut filter = String::from("p.org_id = $1");
    let mut next = 2;
    for _ in 0..n_terms {
        let (lo, hi) = (next, next + 1);
        next += 2;
        filter.push_str(&format!(
            " AND p.id IN (SELECT person_id FROM person_tokens \
               WHERE org_id = $1 AND token >= ${lo} AND token < ${hi} \
             UNION SELECT cp.id FROM persons cp JOIN company_tokens ct ON ct.company_id = cp.company_id \
               WHERE ct.org_id = $1 AND ct.token >= ${lo} AND ct.token < ${hi})"
        ));
    }
    filter
}

#[tokio::main]
async fn main() {
    let path = std::env::args().nth(1).expect("db path");
    let pool = SqlitePool::connect(&format!("sqlite://{path}"))
        .await
        .expect("open");
    let org: i64 = sqlx::query_scalar("SELECT id FROM organisations LIMIT 1")
        .fetch_one(&pool)
        .await
        .expect("org");
    let queries: Vec<Vec<String>> = std::env::args()
        .skip(2)
        .map(|q| q.split_whitespace().map(str::to_owned).collect())
        .collect();
    for terms in queries {
        let f = filter(terms.len());
        let next = 2 + 2 * terms.len();
        let list = format!(
            "SELECT p.id, p.first_name, p.tussenvoegsel, p.last_name, p.job_title, p.company_id, \
             c.name AS company_name, p.primary_email, p.primary_phone, p.city, p.synchroniseren \
             FROM persons p LEFT JOIN companies c ON c.id = p.company_id \
             WHERE {f} ORDER BY p.sort_name ASC, p.id ASC LIMIT ${next} OFFSET ${}",
            next + 1
        );
        let count = format!("SELECT COUNT(*) FROM persons p WHERE {f}");
        let windowed = format!(
            "SELECT p.id, p.first_name, p.tussenvoegsel, p.last_name, p.job_title, p.company_id, \
             c.name AS company_name, p.primary_email, p.primary_phone, p.city, p.synchroniseren, COUNT(*) OVER () AS total \
             FROM persons p LEFT JOIN companies c ON c.id = p.company_id \
             WHERE {f} ORDER BY p.sort_name ASC, p.id ASC LIMIT ${next} OFFSET ${}",
            next + 1
        );
        let capped = format!("SELECT COUNT(*) FROM (SELECT 1 FROM persons p WHERE {f} LIMIT 1001)");
        println!("\n=== terms {terms:?}");
        for (name, sql, page) in [
            ("list", &list, true),
            ("count", &count, false),
            ("list+window count", &windowed, true),
            ("capped count", &capped, false),
        ] {
            let eqp = format!("EXPLAIN QUERY PLAN {sql}");
            let mut q = sqlx::query(AssertSqlSafe(eqp.as_str())).bind(org);
            for t in &terms {
                q = q.bind(t.to_string()).bind(format!("{t}\u{10FFFF}"));
            }
            if page {
                q = q.bind(25i64).bind(0i64);
            }
            let rows = q.fetch_all(&pool).await.expect("eqp");
            if std::env::var("PLANS").is_ok() {
                println!("-- {name} plan:");
            }
            for r in rows.into_iter().filter(|_| std::env::var("PLANS").is_ok()) {
                let id: i64 = r.get(0);
                let parent: i64 = r.get(1);
                let d: String = r.get(3);
                println!("   {id:>3} {parent:>3} {d}");
            }
            let mut times = Vec::new();
            let mut out = 0usize;
            for _ in 0..30 {
                let mut q = sqlx::query(AssertSqlSafe(sql.as_str())).bind(org);
                for t in &terms {
                    q = q.bind(t.to_string()).bind(format!("{t}\u{10FFFF}"));
                }
                if page {
                    q = q.bind(25i64).bind(0i64);
                }
                let s = Instant::now();
                let rows = q.fetch_all(&pool).await.expect("run");
                times.push(s.elapsed().as_secs_f64() * 1e3);
                out = if page {
                    rows.len()
                } else {
                    rows[0].get::<i64, _>(0) as usize
                };
            }
            times.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!(
                "-- {name}: median {:.3} ms, min {:.3} ms, result {out}",
                times[15], times[0]
            );
        }
    }
}
