/*
 * issues.h — the one table of issue codes that the two validating imports
 * share: the DTSEN extract (dtsen.c) and other offices' interventions and a
 * desk's corrections (gov.c).  An issue names a row, a column, a code that
 * clients and tests key on, and the problem in Indonesian and English; the
 * codes are listed in docs/DTSEN-FORMAT.md and docs/INTERVENTIONS-FORMAT.md.
 * Two rows may share a code when the same rule is met in two places (a NIK
 * twice in one file, a NIK another resident holds): the texts say which.
 *
 * Only the import pipelines include this header; everyone else sees issues
 * as struct dtsen_issue (dtsen.h).
 */
#ifndef PADAN_ISSUES_H
#define PADAN_ISSUES_H

#define ISSUES(X)                                                                                  \
  X(I_FILE_EMPTY, "file_empty", "Berkas kosong: tidak ada baris judul kolom",                      \
    "The file is empty: there is no header row")                                                   \
  X(I_CSV_MALFORMED, "csv_malformed",                                                              \
    "CSV rusak (tanda kutip tidak ditutup atau lebih dari 64 kolom); pembacaan berhenti di sini",  \
    "Malformed CSV (unclosed quote or more than 64 fields); reading stopped here")                 \
  X(I_HEADER_UNKNOWN, "header_unknown_column", "Kolom tidak dikenal", "Unknown column")            \
  X(I_HEADER_MISSING, "header_missing_column", "Kolom wajib tidak ada", "Required column missing") \
  X(I_HEADER_DUPLICATE, "header_duplicate_column", "Kolom muncul dua kali",                        \
    "Column appears twice")                                                                        \
  X(I_FIELD_COUNT, "field_count", "Jumlah isian baris berbeda dengan jumlah kolom judul",          \
    "The row has a different number of fields than the header")                                    \
  X(I_REQUIRED, "required", "Wajib diisi", "Required")                                             \
  X(I_ENUM, "enum_value", "Nilai tidak termasuk daftar yang diizinkan",                            \
    "Not one of the allowed values")                                                               \
  X(I_INTEGER, "integer", "Harus bilangan bulat tanpa tanda", "Must be a whole number")            \
  X(I_TOO_LONG, "too_long", "Terlalu panjang", "Too long")                                         \
  X(I_TEXT, "invalid_text", "Berisi karakter kontrol atau UTF-8 yang tidak sah",                   \
    "Contains control characters or invalid UTF-8")                                                \
  X(I_DATE_FORMAT, "date_format", "Tanggal harus YYYY-MM-DD dan ada di kalender",                  \
    "Date must be YYYY-MM-DD and exist in the calendar")                                           \
  X(I_DATE_FUTURE, "date_future", "Tanggal di masa depan", "Date is in the future")                \
  X(I_BIRTH_RANGE, "birth_date_range", "Umur lebih dari 120 tahun", "Older than 120 years")        \
  X(I_VERIFIED_BEFORE_BIRTH, "verified_before_birth", "Tanggal verifikasi sebelum tanggal lahir",  \
    "Verification date is before the birth date")                                                  \
  X(I_NIK_DUPLICATE, "nik_duplicate", "NIK sudah muncul di baris lain dalam berkas ini",           \
    "The NIK appears on another row of this file")                                                 \
  X(I_NIK_ERASED, "nik_erased",                                                                    \
    "Data penduduk dengan NIK ini sudah dihapus atas permintaannya; baris ini tidak diimpor",      \
    "This resident's data was erased at their request; the row is not imported")                   \
  X(I_CORRECTED_AFTER, "corrected_after_extract",                                                  \
    "Kolom ini dikoreksi petugas setelah tanggal ekstrak; koreksi dipertahankan",                  \
    "A person corrected these fields after the extract's date; the correction is kept")            \
  X(I_NIK_DATE_MISMATCH, "nik_birth_date_mismatch",                                                \
    "Tanggal lahir dalam NIK berbeda dengan birth_date; data disimpan apa adanya dan ditandai",    \
    "The NIK's birth date differs from birth_date; the record is kept as given and flagged")       \
  X(I_NIK_SEX_MISMATCH, "nik_sex_mismatch",                                                        \
    "Jenis kelamin dalam NIK (tanggal + 40 untuk perempuan) berbeda dengan sex; data disimpan "    \
    "apa adanya dan ditandai",                                                                     \
    "The NIK's sex (day + 40 for women) differs from sex; the record is kept as given and "        \
    "flagged")                                                                                     \
  X(I_KELURAHAN_UNKNOWN, "kelurahan_unknown", "Kode kelurahan tidak ada di basis data",            \
    "No kelurahan with this code in the database")                                                 \
  X(I_SMK_EDUCATION, "smk_vocation_education",                                                     \
    "Jurusan SMK hanya boleh diisi untuk pendidikan smk, d3, s1 atau s2",                          \
    "An SMK major is only allowed with education smk, d3, s1 or s2")                               \
  X(I_DESIL_RANGE, "desil_range", "Desil harus 1–10", "Desil must be 1–10")                        \
  X(I_MONTHS_RANGE, "months_range", "Bulan tanpa kerja harus 0–600",                               \
    "Months without work must be 0–600")                                                           \
  X(I_MONTHS_WORKING, "months_while_working",                                                      \
    "Berstatus bekerja tetapi bulan tanpa kerja lebih dari 0",                                     \
    "Working, yet months without work is above 0")                                                 \
  X(I_DEPENDANTS_RANGE, "dependants_range", "Tanggungan harus 0–30", "Dependants must be 0–30")    \
  X(I_PHONE, "phone_format",                                                                       \
    "Nomor telepon harus 8–15 digit, boleh diawali + dan dipisah spasi atau tanda -",              \
    "Phone number must have 8–15 digits, optionally a leading + and spaces or dashes")             \
  X(I_LIST_FORMAT, "list_format", "Daftar berisi unsur kosong (;; atau ; di awal/akhir)",          \
    "The list has an empty element (;; or a leading or trailing ;)")                               \
  X(I_LIST_DUPLICATE, "list_duplicate", "Unsur yang sama muncul dua kali dalam daftar",            \
    "The same element appears twice in the list")                                                  \
  X(I_LIST_TOO_MANY, "list_too_many", "Terlalu banyak unsur dalam daftar (maks. 64)",              \
    "Too many elements in the list (at most 64)")                                                  \
  X(I_SKILL_UNKNOWN, "skill_unknown", "Kode keterampilan tidak ada di basis data",                 \
    "No skill with this code in the database")                                                     \
  X(I_STORE, "store_error", "Basis data gagal; tidak ada yang disimpan",                           \
    "The database failed; nothing was saved")                                                      \
  X(I_NOMEM, "out_of_memory", "Memori tidak cukup; tidak ada yang disimpan",                       \
    "Out of memory; nothing was saved")                                                            \
  X(I_DATE_OLD, "date_range", "Tanggal sebelum tahun 1990", "Date is before 1990")                 \
  X(I_NIK_TAKEN, "nik_duplicate", "NIK sudah dipakai penduduk lain",                               \
    "Another resident already has this NIK")                                                       \
  X(I_FIELD_UNKNOWN, "field_unknown", "Tidak ada isian dengan nama ini", "No field has this name") \
  X(I_FIELD_FIXED, "field_not_correctable",                                                        \
    "Isian ini tidak dapat dikoreksi (verified_at hanya lewat verifikasi)",                        \
    "This field cannot be corrected (verified_at changes only by verification)")                   \
  X(I_FIELD_REPEATED, "field_repeated", "Isian yang sama dikoreksi dua kali",                      \
    "The same field is corrected twice")                                                           \
  X(I_REASON_REQUIRED, "reason_required", "Alasan wajib diisi", "A reason is required")            \
  X(I_RESIDENT_UNKNOWN, "resident_unknown", "Tidak ada penduduk dengan NIK ini",                   \
    "No resident has this NIK")                                                                    \
  X(I_END_BEFORE_START, "end_before_start", "Tanggal selesai sebelum tanggal mulai",               \
    "The end date is before the start date")                                                       \
  X(I_END_REQUIRED, "end_date_required", "Status ended memerlukan end_date",                       \
    "Status ended needs an end_date")                                                              \
  X(I_REF_DUPLICATE, "source_ref_duplicate",                                                       \
    "office dan source_ref yang sama sudah ada di baris lain berkas ini",                          \
    "The same office and source_ref appear on another row of this file")                           \
  X(I_ROW_DUPLICATE, "intervention_duplicate",                                                     \
    "NIK, kind, office dan start_date yang sama sudah ada di baris lain berkas ini",               \
    "The same nik, kind, office and start_date appear on another row of this file")                \
  X(I_REF_CONFLICT, "source_ref_conflict",                                                         \
    "source_ref ini sudah tercatat untuk penduduk atau jenis intervensi lain",                     \
    "This source_ref is already recorded for another resident or kind")                            \
  X(I_HOLD_REFERRAL, "erase_open_referral",                                                        \
    "Masih ada rujukan kerja yang berjalan; hapus setelah rujukan selesai",                        \
    "A job referral is still open; erase after it is closed")                                      \
  X(I_HOLD_INTERVENTION, "erase_active_intervention",                                              \
    "Masih ada intervensi aktif; hapus setelah intervensi selesai",                                \
    "An intervention is still active; erase after it has ended")                                   \
  X(I_HOLD_ENROLMENT, "erase_current_enrolment",                                                   \
    "Masih mengikuti pelatihan yang berjalan; hapus setelah pelatihan selesai",                    \
    "Enrolled in a course that is still running; erase after it has finished")                     \
  X(I_HOLD_FOLLOWUP, "erase_placement_followup",                                                   \
    "Penempatan kerja masih dalam pemantauan 3 dan 6 bulan",                                       \
    "A job placement is still within its 3- and 6-month follow-up")                                \
  X(I_CHECKPOINT, "checkpoint_busy",                                                               \
    "Data terhapus, tetapi berkas WAL belum dapat dikosongkan karena sedang dibaca; diulang saat " \
    "checkpoint berikutnya",                                                                       \
    "Erased, but the WAL file could not be emptied while being read; the next checkpoint does it")

enum issue {
#define ISSUE_ENUM(name, code, id, en) name,
  ISSUES(ISSUE_ENUM)
#undef ISSUE_ENUM
};

struct issue_text {
  const char *code, *id, *en;
};

/* Indexed by enum issue (issues.c). */
extern const struct issue_text issue_texts[];

#endif
