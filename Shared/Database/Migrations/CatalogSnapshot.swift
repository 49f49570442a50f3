import Foundation
import MusterCore

/// A schema's structure read from the catalog, one line per object, with the
/// schema's own name replaced so that two schemas compare equal when their
/// tables, columns (types, nullability, defaults, identity, collation),
/// indexes, constraints, types, sequences, views, functions, triggers and
/// row-level-security policies are the same. Column order is not compared.
enum CatalogSnapshot {
    static func lines(of schema: SchemaName, in tx: Transaction) async throws -> Set<String> {
        // With search_path on the schema, expressions print its objects unqualified.
        let rows = try await tx.pipeline(["SET LOCAL search_path TO \(schema)", query(schema)])[1]
        return Set(try rows.map { try $0.decode("line", as: String.self).replacingOccurrences(of: schema.rawValue, with: "<schema>") })
    }

    private static func query(_ schema: SchemaName) -> SQL {
        """
        WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = \(schema.rawValue))
        SELECT 'relation ' || c.relname || ' kind ' || c.relkind::text || CASE WHEN c.relrowsecurity THEN ' rls' ELSE '' END AS line
          FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM ns) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f', 'c')
        UNION ALL
        SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
               || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
               || coalesce(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
               || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END
               || CASE WHEN a.attgenerated <> '' THEN ' generated ' || a.attgenerated::text ELSE '' END
               || CASE WHEN a.attcollation <> t.typcollation
                       THEN ' collate ' || (SELECT collname FROM pg_collation WHERE oid = a.attcollation) ELSE '' END
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
         WHERE c.relnamespace = (SELECT oid FROM ns) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'c')
           AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT 'index ' || ic.relname || ': ' || pg_get_indexdef(i.indexrelid)
          FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid WHERE ic.relnamespace = (SELECT oid FROM ns)
        UNION ALL
        SELECT 'constraint ' || coalesce(c.relname, t.typname) || '.' || con.conname || ': ' || pg_get_constraintdef(con.oid)
               || CASE WHEN con.condeferrable THEN ' deferrable' ELSE '' END
          FROM pg_constraint con
          LEFT JOIN pg_class c ON c.oid = con.conrelid
          LEFT JOIN pg_type t ON t.oid = con.contypid
         WHERE con.connamespace = (SELECT oid FROM ns)
        UNION ALL
        SELECT 'type ' || t.typname || ' ' || t.typtype::text
               || coalesce(' (' || (SELECT string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) || ')', '')
               || CASE WHEN t.typtype = 'd' THEN ' over ' || format_type(t.typbasetype, t.typtypmod)
                       || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END || coalesce(' default ' || t.typdefault, '')
                       ELSE '' END
          FROM pg_type t WHERE t.typnamespace = (SELECT oid FROM ns) AND t.typtype IN ('e', 'd')
        UNION ALL
        SELECT 'sequence ' || c.relname || ' ' || format_type(s.seqtypid, NULL) || ' start ' || s.seqstart
               || ' increment ' || s.seqincrement || ' min ' || s.seqmin || ' max ' || s.seqmax
               || CASE WHEN s.seqcycle THEN ' cycle' ELSE '' END
          FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid WHERE c.relnamespace = (SELECT oid FROM ns)
        UNION ALL
        SELECT 'view ' || c.relname || ': ' || pg_get_viewdef(c.oid)
          FROM pg_class c WHERE c.relnamespace = (SELECT oid FROM ns) AND c.relkind IN ('v', 'm')
        UNION ALL
        SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || '): ' || pg_get_functiondef(p.oid)
          FROM pg_proc p WHERE p.pronamespace = (SELECT oid FROM ns) AND p.prokind IN ('f', 'p')
        UNION ALL
        SELECT 'trigger ' || c.relname || '.' || tg.tgname || ': ' || pg_get_triggerdef(tg.oid)
          FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
         WHERE c.relnamespace = (SELECT oid FROM ns) AND NOT tg.tgisinternal
        UNION ALL
        SELECT 'policy ' || c.relname || '.' || pol.polname || ' ' || pol.polcmd::text || CASE WHEN pol.polpermissive THEN '' ELSE ' restrictive' END
               || coalesce(' using ' || pg_get_expr(pol.polqual, pol.polrelid), '')
               || coalesce(' check ' || pg_get_expr(pol.polwithcheck, pol.polrelid), '')
          FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid WHERE c.relnamespace = (SELECT oid FROM ns)
        """
    }
}

extension Migrator {
    /// How `agency/current.sql` differs from replaying every numbered agency
    /// migration on an empty schema, compared from the catalog; empty when
    /// they match. Both schemas are built in one transaction that is rolled
    /// back, so nothing remains. Every service's tests call this.
    ///
    /// ```swift
    /// #expect(try await migrator.currentDDLDifferences() == [])
    /// ```
    public func currentDDLDifferences() async throws -> [String] {
        guard let current = migrations.currentAgencyDDL else { return [] }
        let replayed = SchemaName.agency(AgencyID())
        let fresh = SchemaName.agency(AgencyID())
        return try await pool.withConnection { connection in
            let tx = Transaction(connection: connection, scopedTo: nil)
            do {
                try await tx.runScript(Bookkeeping.script(migrations.agency.map(\.sql), in: replayed, creating: true))
                try await tx.runScript(Bookkeeping.script([current.sql], in: fresh, creating: true))
                let history = try await CatalogSnapshot.lines(of: replayed, in: tx)
                let currentLines = try await CatalogSnapshot.lines(of: fresh, in: tx)
                await tx.rollback()
                return history.subtracting(currentLines).sorted().map { "only after replaying migrations: \($0)" }
                    + currentLines.subtracting(history).sorted().map { "only in current.sql: \($0)" }
            } catch {
                await tx.rollback()
                throw error
            }
        }
    }
}
