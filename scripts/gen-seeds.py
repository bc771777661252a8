#!/usr/bin/env python3
"""Writes padan's static seed data, seeds/*.csv, from the tables in this file.

Only the Kemendagri codes and names of Kota Tangerang's 13 kecamatan and 104 kelurahan are real
(copied verbatim from the Kepmendagri 300.2.2-2138/2025 list). The skill catalogue and the BLK course
programme are compiled for padan, the courses modelled on BLK Kota Tangerang's published programme;
coordinates are approximate; employers, vacancies and course outcomes are fictional, drawn from a
fixed random seed so that every run writes byte-identical files. The build never runs this script:
run `python3 scripts/gen-seeds.py` by hand, review the diff, commit the CSVs. Python 3 standard
library only. seeds/README.md documents every file and column; seeds/dtsen-sample.csv is not
written here.
"""

import csv
import datetime as dt
import math
import os
import random
import sys

SEED = 20261127
UMK_2026 = 5399405  # Kota Tangerang minimum wage 2026, rupiah per month
TODAY = dt.date(2026, 11, 27)

# Vocation slugs map to an enum in the engine: order and spelling are fixed.
VOCATIONS = [
    ("manufacturing", "MFG"),
    ("garment", "GAR"),
    ("footwear", "FTW"),
    ("welding_metal", "WLD"),
    ("electrical", "ELC"),
    ("automotive", "AUT"),
    ("refrigeration", "REF"),
    ("logistics", "LOG"),
    ("airport", "AIR"),
    ("hospitality", "HOS"),
    ("culinary", "CUL"),
    ("retail", "RTL"),
    ("office", "OFC"),
    ("digital", "DIG"),
    ("care", "CAR"),
]
VOCATION_SLUGS = [v for v, _ in VOCATIONS]

# ---------------------------------------------------------------------------
# Areas: kecamatan with an approximate centroid, then their kelurahan.
# ---------------------------------------------------------------------------

KECAMATAN = [
    # code, name, lat, lon (approximate centroid)
    ("36.71.01", "Tangerang", -6.19300, 106.63700),
    ("36.71.02", "Jatiuwung", -6.19500, 106.58200),
    ("36.71.03", "Batuceper", -6.15800, 106.65800),
    ("36.71.04", "Benda", -6.13200, 106.67500),
    ("36.71.05", "Cipondoh", -6.18300, 106.68300),
    ("36.71.06", "Ciledug", -6.23100, 106.71100),
    ("36.71.07", "Karawaci", -6.17800, 106.61500),
    ("36.71.08", "Periuk", -6.16600, 106.58700),
    ("36.71.09", "Cibodas", -6.20300, 106.60300),
    ("36.71.10", "Neglasari", -6.14200, 106.63500),
    ("36.71.11", "Pinang", -6.22700, 106.65800),
    ("36.71.12", "Karang Tengah", -6.20600, 106.71400),
    ("36.71.13", "Larangan", -6.23400, 106.73500),
]

KELURAHAN = [
    ("36.71.01.1001", "Sukarasa"),
    ("36.71.01.1002", "Sukaasih"),
    ("36.71.01.1003", "Tanah Tinggi"),
    ("36.71.01.1004", "Buaran Indah"),
    ("36.71.01.1005", "Cikokol"),
    ("36.71.01.1006", "Kelapa Indah"),
    ("36.71.01.1007", "Sukasari"),
    ("36.71.01.1008", "Babakan"),
    ("36.71.02.1001", "Keroncong"),
    ("36.71.02.1002", "Jatake"),
    ("36.71.02.1003", "Pasir Jaya"),
    ("36.71.02.1004", "Gandasari"),
    ("36.71.02.1005", "Manis Jaya"),
    ("36.71.02.1006", "Alam Jaya"),
    ("36.71.03.1001", "Batuceper"),
    ("36.71.03.1002", "Batu Jaya"),
    ("36.71.03.1003", "Poris Gaga"),
    ("36.71.03.1004", "Poris Gaga Baru"),
    ("36.71.03.1005", "Kebon Besar"),
    ("36.71.03.1006", "Batu Sari"),
    ("36.71.03.1007", "Poris Jaya"),
    ("36.71.04.1001", "Belendung"),
    ("36.71.04.1002", "Jurumudi"),
    ("36.71.04.1003", "Benda"),
    ("36.71.04.1004", "Pajang"),
    ("36.71.04.1005", "Jurumudi Baru"),
    ("36.71.05.1001", "Cipondoh"),
    ("36.71.05.1002", "Cipondoh Makmur"),
    ("36.71.05.1003", "Cipondoh Indah"),
    ("36.71.05.1004", "Gondrong"),
    ("36.71.05.1005", "Kenanga"),
    ("36.71.05.1006", "Petir"),
    ("36.71.05.1007", "Ketapang"),
    ("36.71.05.1008", "Poris Plawad"),
    ("36.71.05.1009", "Poris Plawad Utara"),
    ("36.71.05.1010", "Poris Plawad Indah"),
    ("36.71.06.1001", "Paninggilan"),
    ("36.71.06.1002", "Sudimara Barat"),
    ("36.71.06.1003", "Sudimara Timur"),
    ("36.71.06.1004", "Tajur"),
    ("36.71.06.1005", "Parung Serab"),
    ("36.71.06.1006", "Sudimara Jaya"),
    ("36.71.06.1007", "Sudimara Selatan"),
    ("36.71.06.1008", "Paninggilan Utara"),
    ("36.71.07.1001", "Karawaci"),
    ("36.71.07.1002", "Bojong Jaya"),
    ("36.71.07.1003", "Karawaci Baru"),
    ("36.71.07.1004", "Nusa Jaya"),
    ("36.71.07.1005", "Cimone"),
    ("36.71.07.1006", "Cimone Jaya"),
    ("36.71.07.1007", "Pabuaran"),
    ("36.71.07.1008", "Sumur Pacing"),
    ("36.71.07.1009", "Bugel"),
    ("36.71.07.1010", "Marga Sari"),
    ("36.71.07.1011", "Pabuaran Tumpeng"),
    ("36.71.07.1012", "Nambo Jaya"),
    ("36.71.07.1013", "Gerendeng"),
    ("36.71.07.1014", "Sukajadi"),
    ("36.71.07.1015", "Pasar Baru"),
    ("36.71.07.1016", "Koang Jaya"),
    ("36.71.08.1001", "Periuk"),
    ("36.71.08.1002", "Gembor"),
    ("36.71.08.1003", "Gebang Raya"),
    ("36.71.08.1004", "Sangiang Jaya"),
    ("36.71.08.1005", "Periuk Jaya"),
    ("36.71.09.1001", "Cibodas"),
    ("36.71.09.1002", "Cibodas Sari"),
    ("36.71.09.1003", "Cibodas Baru"),
    ("36.71.09.1004", "Panunggangan Barat"),
    ("36.71.09.1005", "Uwung Jaya"),
    ("36.71.09.1006", "Jatiuwung"),
    ("36.71.10.1001", "Neglasari"),
    ("36.71.10.1002", "Karang Sari"),
    ("36.71.10.1003", "Selapajang Jaya"),
    ("36.71.10.1004", "Kedaung Wetan"),
    ("36.71.10.1005", "Mekar Sari"),
    ("36.71.10.1006", "Karang Anyar"),
    ("36.71.10.1007", "Kedaung Baru"),
    ("36.71.11.1001", "Pinang"),
    ("36.71.11.1002", "Sudimara Pinang"),
    ("36.71.11.1003", "Neroktog"),
    ("36.71.11.1004", "Kunciran"),
    ("36.71.11.1005", "Kunciran Indah"),
    ("36.71.11.1006", "Kunciran Jaya"),
    ("36.71.11.1007", "Cipete"),
    ("36.71.11.1008", "Pakojan"),
    ("36.71.11.1009", "Panunggangan"),
    ("36.71.11.1010", "Panunggangan Utara"),
    ("36.71.11.1011", "Panunggangan Timur"),
    ("36.71.12.1001", "Karang Tengah"),
    ("36.71.12.1002", "Karang Mulya"),
    ("36.71.12.1003", "Pondok Bahar"),
    ("36.71.12.1004", "Pondok Pucung"),
    ("36.71.12.1005", "Karang Timur"),
    ("36.71.12.1006", "Padurenan"),
    ("36.71.12.1007", "Parung Jaya"),
    ("36.71.13.1001", "Larangan Utara"),
    ("36.71.13.1002", "Larangan Selatan"),
    ("36.71.13.1003", "Cipadu"),
    ("36.71.13.1004", "Kreo"),
    ("36.71.13.1005", "Larangan Indah"),
    ("36.71.13.1006", "Gaga"),
    ("36.71.13.1007", "Cipadu Jaya"),
    ("36.71.13.1008", "Kreo Selatan"),
]

# Where each kind of workplace sits, by kelurahan name. Industry clusters in Jatiuwung, Cibodas and
# Periuk; cargo, logistics and airport services around Soekarno-Hatta in Neglasari, Benda and
# Batuceper; shops, hotels, offices and care services in the denser south and east.
AREAS = {
    "industrial": [
        "Jatake", "Gandasari", "Manis Jaya", "Alam Jaya", "Pasir Jaya", "Keroncong",
        "Uwung Jaya", "Jatiuwung", "Gembor", "Gebang Raya", "Periuk", "Sangiang Jaya",
        "Periuk Jaya", "Cibodas Baru", "Cibodas",
    ],
    "industrial_edge": [
        "Bugel", "Nambo Jaya", "Koang Jaya", "Kebon Besar", "Batu Sari", "Kedaung Wetan",
        "Panunggangan Barat", "Cibodas Sari",
    ],
    "airport": [
        "Selapajang Jaya", "Kedaung Wetan", "Kedaung Baru", "Karang Anyar", "Mekar Sari",
        "Neglasari", "Karang Sari", "Benda", "Jurumudi", "Jurumudi Baru", "Pajang", "Belendung",
        "Poris Gaga", "Poris Gaga Baru", "Kebon Besar", "Batu Sari", "Batuceper", "Poris Jaya",
        "Batu Jaya",
    ],
    "urban": [
        "Cikokol", "Sukarasa", "Babakan", "Tanah Tinggi", "Sukasari", "Buaran Indah",
        "Kelapa Indah", "Karawaci", "Cimone", "Cimone Jaya", "Nusa Jaya", "Pasar Baru",
        "Sukajadi", "Gerendeng", "Pabuaran", "Karawaci Baru", "Bojong Jaya", "Marga Sari",
        "Sumur Pacing", "Pabuaran Tumpeng", "Cipondoh", "Cipondoh Indah", "Cipondoh Makmur",
        "Ketapang", "Poris Plawad", "Poris Plawad Indah", "Kenanga", "Petir", "Gondrong",
        "Paninggilan", "Paninggilan Utara", "Sudimara Barat", "Sudimara Timur", "Sudimara Jaya",
        "Tajur", "Parung Serab", "Pinang", "Kunciran", "Kunciran Indah", "Panunggangan",
        "Panunggangan Timur", "Panunggangan Utara", "Cipete", "Neroktog", "Karang Tengah",
        "Pondok Bahar", "Karang Mulya", "Pondok Pucung", "Karang Timur", "Larangan Utara",
        "Larangan Selatan", "Larangan Indah", "Cipadu", "Kreo", "Gaga",
    ],
}

# ---------------------------------------------------------------------------
# Skills: per vocation, (key, Indonesian name, English name). Codes are the vocation prefix and the
# position in its list, so append new skills at the end of a list to keep existing codes stable.
# ---------------------------------------------------------------------------

SKILLS = {
    "manufacturing": [
        ("inj", "Operator mesin injeksi plastik", "Plastic injection moulding machine operation"),
        ("blow", "Operator mesin blow moulding", "Blow moulding machine operation"),
        ("extr", "Operator mesin ekstrusi plastik", "Plastic extrusion machine operation"),
        ("cncl", "Operator mesin bubut CNC", "CNC lathe operation"),
        ("cncm", "Operator mesin milling CNC", "CNC milling machine operation"),
        ("press", "Operator mesin press (stamping)", "Press (stamping) machine operation"),
        ("drw", "Membaca gambar teknik", "Reading technical drawings"),
        ("meas", "Menggunakan alat ukur presisi (jangka sorong, mikrometer)",
         "Using precision measuring tools (caliper, micrometer)"),
        ("qc", "Pengendalian mutu produksi (QC)", "Production quality control (QC)"),
        ("5s", "Penerapan 5S di tempat kerja", "Applying 5S workplace organisation"),
        ("k3", "Keselamatan dan kesehatan kerja (K3) industri",
         "Industrial occupational safety and health (OSH)"),
        ("pack", "Operator mesin pengemasan", "Packaging machine operation"),
        ("food", "Produksi pangan sesuai CPPOB",
         "Food production under good manufacturing practice (CPPOB)"),
        ("maint", "Perawatan dasar mesin produksi", "Basic production machine maintenance"),
        ("elas", "Perakitan komponen elektronik", "Electronic component assembly"),
        ("hpack", "Pengemasan manual dan sortir produk", "Manual packing and product sorting"),
    ],
    "garment": [
        ("sew", "Menjahit dengan mesin jahit industri", "Sewing with an industrial sewing machine"),
        ("obras", "Mengoperasikan mesin obras (overlock)", "Overlock machine operation"),
        ("overdeck", "Mengoperasikan mesin overdeck", "Coverstitch (overdeck) machine operation"),
        ("pola", "Membuat pola pakaian", "Garment pattern making"),
        ("cut", "Memotong bahan pakaian (cutting)", "Fabric cutting"),
        ("shirt", "Menjahit kemeja", "Sewing shirts"),
        ("pants", "Menjahit celana", "Sewing trousers"),
        ("women", "Menjahit busana wanita", "Sewing women's wear"),
        ("qcg", "Pemeriksaan mutu garmen (QC garmen)", "Garment quality inspection"),
        ("finish", "Finishing dan setrika garmen", "Garment finishing and pressing"),
        ("techpack", "Membaca lembar spesifikasi produk (tech pack)", "Reading garment tech packs"),
        ("sablon", "Sablon kaos (screen printing)", "T-shirt screen printing"),
        ("bordir", "Mengoperasikan mesin bordir komputer",
         "Computerised embroidery machine operation"),
    ],
    "footwear": [
        ("upper", "Menjahit upper sepatu", "Sewing shoe uppers"),
        ("fcut", "Memotong kulit dan bahan sepatu", "Cutting leather and shoe materials"),
        ("diecut", "Mengoperasikan mesin cutting press (die cutting)", "Die-cutting press operation"),
        ("skive", "Menipiskan tepi kulit (skiving)", "Leather skiving"),
        ("cement", "Pengeleman sol (cementing)", "Sole cementing"),
        ("last", "Lasting (memasang upper pada acuan)", "Lasting (fitting uppers on the last)"),
        ("assy", "Perakitan sepatu (assembling/bottoming)", "Shoe assembly (bottoming)"),
        ("solinj", "Operator mesin injeksi sol", "Sole injection machine operation"),
        ("ffin", "Finishing dan pembersihan sepatu", "Shoe finishing and cleaning"),
        ("fqc", "Pemeriksaan mutu sepatu (QC)", "Footwear quality inspection"),
        ("postbed", "Mengoperasikan mesin jahit post-bed", "Post-bed sewing machine operation"),
        ("fpola", "Membuat pola sepatu", "Shoe pattern making"),
        ("fpack", "Pengepakan dan pelabelan alas kaki", "Footwear packing and labelling"),
    ],
    "welding_metal": [
        ("smaw", "Las SMAW (las listrik)", "SMAW (stick) welding"),
        ("mig", "Las GMAW/MIG", "GMAW (MIG) welding"),
        ("tig", "Las GTAW/TIG", "GTAW (TIG) welding"),
        ("fcaw", "Las FCAW", "FCAW (flux-cored) welding"),
        ("oxy", "Pemotongan logam dengan gas (oxy-acetylene)", "Oxy-fuel metal cutting"),
        ("plasma", "Pemotongan logam dengan plasma", "Plasma metal cutting"),
        ("bajaring", "Fabrikasi rangka baja ringan", "Light steel frame fabrication"),
        ("sheet", "Fabrikasi pelat logam (sheet metal)", "Sheet metal fabrication"),
        ("grind", "Gerinda dan finishing logam", "Metal grinding and finishing"),
        ("wps", "Membaca simbol las dan WPS", "Reading welding symbols and WPS"),
        ("lathe", "Membubut dengan mesin bubut manual", "Manual lathe turning"),
        ("spray", "Pengecatan semprot logam", "Spray painting of metal"),
        ("winsp", "Pemeriksaan visual hasil las", "Visual weld inspection"),
    ],
    "electrical": [
        ("rumah", "Instalasi listrik rumah", "Residential electrical installation"),
        ("gedung", "Instalasi listrik gedung", "Commercial building electrical installation"),
        ("motor", "Instalasi motor listrik", "Electric motor installation"),
        ("ctrl", "Rangkaian kendali motor (DOL, star-delta)",
         "Motor control circuits (DOL, star-delta)"),
        ("panel", "Pemeliharaan panel listrik tegangan rendah", "Low-voltage switchboard maintenance"),
        ("diag", "Membaca diagram listrik", "Reading electrical diagrams"),
        ("plc", "Pemrograman PLC dasar", "Basic PLC programming"),
        ("cctv", "Instalasi CCTV", "CCTV installation"),
        ("appl", "Perbaikan peralatan listrik rumah tangga", "Household electrical appliance repair"),
        ("pv", "Instalasi panel surya atap (PLTS)", "Rooftop solar PV installation"),
        ("meter", "Pengukuran listrik dengan multimeter", "Electrical measurement with a multimeter"),
        ("solder", "Elektronika dasar dan menyolder", "Basic electronics and soldering"),
        ("k3l", "Keselamatan kerja listrik (K3 listrik)", "Electrical safety (K3 listrik)"),
    ],
    "automotive": [
        ("injmc", "Servis sepeda motor injeksi", "Fuel-injected motorcycle servicing"),
        ("tuneup", "Tune-up sepeda motor", "Motorcycle tune-up"),
        ("mcelec", "Perbaikan kelistrikan sepeda motor", "Motorcycle electrical system repair"),
        ("cvt", "Servis CVT sepeda motor matik", "Scooter CVT servicing"),
        ("overhaul", "Overhaul mesin sepeda motor", "Motorcycle engine overhaul"),
        ("carsvc", "Servis berkala mobil", "Periodic car servicing"),
        ("brake", "Perbaikan rem dan suspensi mobil", "Car brake and suspension repair"),
        ("obd", "Diagnosis mesin mobil dengan scanner OBD", "Car engine diagnosis with an OBD scanner"),
        ("align", "Spooring dan balancing", "Wheel alignment and balancing"),
        ("oil", "Penggantian oli dan pelumasan", "Oil change and lubrication"),
        ("body", "Perbaikan bodi dan pengecatan mobil", "Car body repair and painting"),
        ("carac", "Servis AC mobil", "Car air-conditioning service"),
        ("diesel", "Servis mesin diesel", "Diesel engine servicing"),
        ("detail", "Pencucian dan detailing kendaraan", "Vehicle washing and detailing"),
    ],
    "refrigeration": [
        ("acsvc", "Servis AC split", "Split air-conditioner servicing"),
        ("acins", "Instalasi AC split", "Split air-conditioner installation"),
        ("fridge", "Perbaikan kulkas dan freezer", "Refrigerator and freezer repair"),
        ("wash", "Perbaikan mesin cuci", "Washing machine repair"),
        ("refrig", "Pengisian dan recovery refrigeran", "Refrigerant charging and recovery"),
        ("braze", "Brazing pipa tembaga", "Copper pipe brazing"),
        ("chiller", "Perawatan AC sentral (chiller)", "Central air-conditioning (chiller) maintenance"),
        ("cold", "Perawatan cold storage", "Cold storage maintenance"),
        ("pcb", "Perbaikan kelistrikan dan PCB AC", "AC electrical and control-board repair"),
        ("vrf", "Instalasi dan servis AC VRV/VRF", "VRV/VRF system installation and service"),
        ("showcase", "Perawatan showcase dan chiller minuman",
         "Display cooler and beverage chiller maintenance"),
        ("hc", "Penanganan refrigeran hidrokarbon secara aman",
         "Safe handling of hydrocarbon refrigerants"),
    ],
    "logistics": [
        ("forklift", "Mengoperasikan forklift (SIO)", "Forklift operation (SIO licence)"),
        ("pallet", "Mengoperasikan hand pallet", "Pallet jack operation"),
        ("whadm", "Administrasi gudang", "Warehouse administration"),
        ("inout", "Penerimaan dan pengeluaran barang (inbound/outbound)",
         "Goods receiving and dispatch (inbound/outbound)"),
        ("stock", "Stock opname dan pengendalian persediaan", "Stocktaking and inventory control"),
        ("pick", "Picking dan packing pesanan", "Order picking and packing"),
        ("wms", "Menggunakan handheld scanner dan WMS", "Using handheld scanners and a WMS"),
        ("truck", "Mengemudi truk (SIM B1)", "Truck driving (SIM B1 licence)"),
        ("van", "Mengemudi mobil boks pengantaran (SIM A)", "Delivery van driving (SIM A licence)"),
        ("courier", "Kurir sepeda motor (SIM C)", "Motorcycle courier (SIM C licence)"),
        ("docs", "Dokumen pengiriman (surat jalan, manifes)",
         "Shipping documents (delivery notes, manifests)"),
        ("fifo", "Penyusunan barang dan rak (FIFO/FEFO)", "Stacking and racking (FIFO/FEFO)"),
        ("load", "Bongkar muat kontainer", "Container loading and unloading"),
    ],
    "airport": [
        ("cargo", "Penanganan kargo udara", "Air cargo handling"),
        ("ramp", "Ground handling pesawat (ramp)", "Aircraft ground handling (ramp)"),
        ("bag", "Penanganan bagasi", "Baggage handling"),
        ("checkin", "Layanan check-in penumpang", "Passenger check-in service"),
        ("avsec", "Pemeriksaan keamanan penerbangan dasar (avsec)",
         "Basic aviation security screening (avsec)"),
        ("gse", "Mengoperasikan peralatan GSE", "Ground support equipment (GSE) operation"),
        ("dg", "Penanganan barang berbahaya (dangerous goods)", "Dangerous goods handling"),
        ("awb", "Dokumen kargo udara (AWB, manifes)", "Air cargo documents (air waybill, manifest)"),
        ("cabin", "Pembersihan kabin pesawat", "Aircraft cabin cleaning"),
        ("prm", "Pendampingan penumpang berkebutuhan khusus",
         "Assisting passengers with reduced mobility"),
        ("apron", "Keselamatan di apron", "Apron safety"),
        ("aveng", "Bahasa Inggris layanan penerbangan", "English for aviation services"),
        ("uld", "Penyusunan ULD dan palet pesawat", "ULD and aircraft pallet build-up"),
    ],
    "hospitality": [
        ("hk", "Tata graha kamar (housekeeping)", "Room housekeeping"),
        ("fo", "Pelayanan kantor depan (front office)", "Front office service"),
        ("resv", "Reservasi hotel", "Hotel reservations"),
        ("fnb", "Pelayanan makanan dan minuman (F&B service)", "Food and beverage service"),
        ("laundry", "Binatu hotel (laundry)", "Hotel laundry"),
        ("public", "Kebersihan area publik", "Public area cleaning"),
        ("hoseng", "Bahasa Inggris perhotelan", "English for hospitality"),
        ("complaint", "Penanganan keluhan tamu", "Handling guest complaints"),
        ("banquet", "Penataan meja dan layanan banquet", "Table setting and banquet service"),
        ("bar", "Pelayanan bar minuman", "Bar service"),
        ("pms", "Menggunakan sistem manajemen hotel (PMS)",
         "Using a hotel property management system (PMS)"),
        ("mice", "Layanan acara dan MICE", "Event and MICE service"),
    ],
    "culinary": [
        ("barista", "Barista (pembuatan kopi espreso)", "Barista (espresso coffee making)"),
        ("indo", "Memasak masakan Indonesia", "Cooking Indonesian cuisine"),
        ("oriental", "Memasak masakan oriental", "Cooking Asian (oriental) cuisine"),
        ("western", "Memasak masakan kontinental", "Cooking Western (continental) cuisine"),
        ("prep", "Persiapan bahan makanan (mise en place)", "Food preparation (mise en place)"),
        ("bread", "Membuat roti", "Bread baking"),
        ("pastry", "Membuat kue dan pastry", "Cake and pastry making"),
        ("hyg", "Higiene dan sanitasi makanan", "Food hygiene and sanitation"),
        ("plating", "Penyajian makanan (plating)", "Food plating and presentation"),
        ("frozen", "Pengolahan makanan beku (frozen food)", "Frozen food production"),
        ("cater", "Produksi katering skala besar", "Large-scale catering production"),
        ("manual", "Seduh manual kopi (manual brew)", "Manual coffee brewing"),
        ("nonkopi", "Minuman non-kopi (teh, mocktail)", "Non-coffee beverages (tea, mocktails)"),
    ],
    "retail": [
        ("kasir", "Kasir", "Cashier operation"),
        ("cs", "Pelayanan pelanggan toko", "In-store customer service"),
        ("shelf", "Penataan barang di rak (merchandising)", "Shelf stocking and merchandising"),
        ("spg", "Promosi penjualan langsung (SPG/SPB)", "Direct sales promotion (SPG/SPB)"),
        ("edc", "Penanganan uang tunai dan mesin EDC", "Cash and card (EDC) handling"),
        ("recv", "Penerimaan barang di toko", "Store goods receiving"),
        ("gadget", "Penjualan ponsel dan gawai", "Mobile phone and gadget sales"),
        ("vm", "Visual merchandising", "Visual merchandising"),
        ("sstock", "Pengendalian stok toko", "Store stock control"),
        ("canvas", "Penjualan lapangan (kanvas)", "Field sales (canvassing)"),
        ("retur", "Penanganan retur dan keluhan pelanggan",
         "Handling returns and customer complaints"),
        ("nego", "Teknik menjual dan negosiasi", "Selling and negotiation techniques"),
        ("pos", "Menggunakan aplikasi kasir (POS)", "Using a point-of-sale (POS) system"),
    ],
    "office": [
        ("excel", "Microsoft Excel", "Microsoft Excel"),
        ("word", "Microsoft Word", "Microsoft Word"),
        ("ppt", "Microsoft PowerPoint", "Microsoft PowerPoint"),
        ("admin", "Administrasi perkantoran", "Office administration"),
        ("arsip", "Pengarsipan dokumen", "Document filing and archiving"),
        ("entry", "Entri data", "Data entry"),
        ("acct", "Akuntansi dasar dan pembukuan", "Basic accounting and bookkeeping"),
        ("accsw", "Aplikasi akuntansi (Accurate/MYOB)", "Accounting software (Accurate/MYOB)"),
        ("tax", "Perpajakan dasar (PPh 21, e-Faktur)", "Basic taxation (PPh 21, e-Faktur)"),
        ("payroll", "Administrasi personalia dan penggajian", "HR administration and payroll"),
        ("recep", "Resepsionis dan penerimaan tamu", "Reception and visitor handling"),
        ("letter", "Korespondensi bisnis", "Business correspondence"),
        ("call", "Layanan pelanggan melalui telepon (call center)",
         "Telephone customer service (call centre)"),
        ("typing", "Mengetik sepuluh jari", "Touch typing"),
        ("beng", "Bahasa Inggris bisnis", "Business English"),
        ("exim", "Administrasi ekspor-impor", "Export-import administration"),
    ],
    "digital": [
        ("graphic", "Desain grafis (CorelDRAW/Illustrator)", "Graphic design (CorelDRAW/Illustrator)"),
        ("photo", "Pengolahan foto (Photoshop)", "Photo editing (Photoshop)"),
        ("dm", "Digital marketing", "Digital marketing"),
        ("content", "Pembuatan konten media sosial", "Social media content creation"),
        ("video", "Penyuntingan video", "Video editing"),
        ("prodphoto", "Fotografi produk", "Product photography"),
        ("shop", "Pengelolaan toko online (marketplace)", "Online store management (marketplace)"),
        ("ads", "Iklan digital (Meta Ads/Google Ads)", "Digital advertising (Meta Ads/Google Ads)"),
        ("print", "Pracetak dan cetak digital", "Pre-press and digital printing"),
        ("web", "Pemrograman web dasar (HTML, CSS, JavaScript)",
         "Basic web programming (HTML, CSS, JavaScript)"),
        ("net", "Jaringan komputer dasar", "Basic computer networking"),
        ("pc", "Perakitan dan perbaikan komputer", "Computer assembly and repair"),
        ("copy", "Penulisan naskah iklan (copywriting)", "Copywriting"),
        ("live", "Live streaming penjualan", "Live-stream selling"),
        ("sql", "Basis data dan SQL dasar", "Basic databases and SQL"),
    ],
    "care": [
        ("lansia", "Perawatan lansia", "Elderly care"),
        ("anak", "Pengasuhan anak", "Childcare"),
        ("p3k", "Pertolongan pertama (P3K)", "First aid"),
        ("disab", "Pendampingan penyandang disabilitas", "Disability support"),
        ("homecare", "Perawatan pasien di rumah (home care)", "Home patient care"),
        ("meal", "Penyiapan makanan untuk lansia dan pasien",
         "Preparing meals for the elderly and patients"),
        ("mobil", "Mobilisasi dan pemindahan pasien", "Patient mobility and transfer"),
        ("vital", "Pengukuran tanda vital dasar", "Basic vital signs measurement"),
        ("hygiene", "Perawatan kebersihan diri pasien", "Patient personal hygiene"),
        ("bayi", "Perawatan bayi dan balita", "Infant and toddler care"),
        ("prt", "Pekerjaan rumah tangga", "Domestic housekeeping"),
        ("demensia", "Komunikasi dengan lansia dan penderita demensia",
         "Communicating with older people and people with dementia"),
        ("daycare", "Pengasuhan di tempat penitipan anak (daycare)", "Childcare in a day-care centre"),
    ],
}

# ---------------------------------------------------------------------------
# BLK courses: code, name, vocation, hours, capacity, schedule, skill keys, base placement rate
# within 6 months, first year offered. The rates are invented but spread on purpose (forklift and
# welding graduates find work far more often than content-creation graduates) so that ranking
# courses by outcome means something.
# ---------------------------------------------------------------------------

# Training hours per day and working days (0 = Monday) of each schedule, to date the batches.
SCHEDULES = {
    "Senin-Jumat 08.00-15.00": (6, (0, 1, 2, 3, 4)),
    "Senin-Jumat 08.00-12.00": (4, (0, 1, 2, 3, 4)),
    "Senin-Jumat 13.00-17.00": (4, (0, 1, 2, 3, 4)),
    "Senin-Sabtu 08.00-14.00": (5, (0, 1, 2, 3, 4, 5)),
    "Senin-Kamis 08.00-16.00": (7, (0, 1, 2, 3)),
}

S_FULL = "Senin-Jumat 08.00-15.00"
S_MORN = "Senin-Jumat 08.00-12.00"
S_AFT = "Senin-Jumat 13.00-17.00"
S_SAT = "Senin-Sabtu 08.00-14.00"
S_LONG = "Senin-Kamis 08.00-16.00"

COURSES = [
    ("BLK-JHT-01", "Menjahit Pakaian dengan Mesin Jahit Industri", "garment", 240, 16, S_FULL,
     ["sew", "obras", "overdeck", "cut", "shirt", "pants", "finish"], 0.62, 2023),
    ("BLK-JHT-02", "Pembuatan Pola dan Menjahit Busana Wanita", "garment", 280, 16, S_SAT,
     ["pola", "cut", "sew", "women", "obras"], 0.38, 2023),
    ("BLK-JHT-03", "Pemeriksaan Mutu (QC) Garmen", "garment", 160, 16, S_MORN,
     ["qcg", "techpack", "finish", "qc", "5s"], 0.55, 2024),
    ("BLK-SPT-01", "Menjahit Upper Sepatu", "footwear", 240, 16, S_FULL,
     ["upper", "postbed", "skive", "fqc", "sew"], 0.72, 2023),
    ("BLK-SPT-02", "Operator Produksi Alas Kaki", "footwear", 200, 16, S_FULL,
     ["fcut", "diecut", "cement", "last", "assy", "ffin", "fpack"], 0.68, 2023),
    ("BLK-RAC-01", "Teknik Pendingin dan Tata Udara: Servis dan Instalasi AC Split", "refrigeration",
     240, 16, S_FULL, ["acsvc", "acins", "refrig", "braze", "pcb", "hc"], 0.64, 2023),
    ("BLK-RAC-02", "Perbaikan Kulkas dan Mesin Cuci", "refrigeration", 200, 16, S_AFT,
     ["fridge", "wash", "refrig", "hc", "meter", "showcase"], 0.45, 2023),
    ("BLK-HTL-01", "Tata Graha (Housekeeping)", "hospitality", 200, 16, S_FULL,
     ["hk", "public", "laundry", "hoseng", "complaint"], 0.52, 2023),
    ("BLK-HTL-02", "Pelayanan Makanan dan Minuman (Food and Beverage Service)", "hospitality", 200,
     16, S_FULL, ["fnb", "banquet", "bar", "hoseng", "hyg"], 0.48, 2023),
    ("BLK-HTL-03", "Kantor Depan Hotel (Front Office)", "hospitality", 200, 16, S_MORN,
     ["fo", "resv", "pms", "complaint", "hoseng"], 0.33, 2023),
    ("BLK-BOG-01", "Memasak Masakan Indonesia", "culinary", 240, 16, S_FULL,
     ["indo", "prep", "hyg", "plating", "cater"], 0.42, 2023),
    ("BLK-BOG-02", "Pembuatan Roti dan Kue", "culinary", 240, 16, S_SAT,
     ["bread", "pastry", "hyg", "prep"], 0.31, 2023),
    ("BLK-BRS-01", "Barista", "culinary", 160, 16, S_AFT,
     ["barista", "manual", "nonkopi", "hyg", "kasir"], 0.40, 2024),
    ("BLK-KOM-01", "Operator Komputer", "office", 240, 16, S_MORN,
     ["word", "excel", "ppt", "typing", "entry", "arsip"], 0.29, 2023),
    ("BLK-KOM-02", "Administrasi Perkantoran dan Pembukuan", "office", 280, 16, S_AFT,
     ["admin", "arsip", "letter", "excel", "acct", "accsw", "tax"], 0.35, 2023),
    ("BLK-LIS-01", "Instalasi Listrik Rumah dan Gedung", "electrical", 280, 16, S_FULL,
     ["rumah", "gedung", "diag", "meter", "k3l"], 0.58, 2023),
    ("BLK-LIS-02", "Instalasi Motor Listrik dan PLC Dasar", "electrical", 320, 16, S_LONG,
     ["motor", "ctrl", "panel", "plc", "diag", "k3l"], 0.61, 2023),
    ("BLK-LIS-03", "Instalasi Panel Surya Atap", "electrical", 160, 12, S_FULL,
     ["pv", "rumah", "meter", "k3l"], 0.36, 2025),
    ("BLK-DGR-01", "Desain Grafis dan Percetakan", "digital", 240, 16, S_AFT,
     ["graphic", "photo", "print", "prodphoto"], 0.34, 2023),
    ("BLK-OTO-01", "Servis Sepeda Motor Injeksi", "automotive", 240, 16, S_FULL,
     ["injmc", "tuneup", "mcelec", "cvt", "oil"], 0.55, 2023),
    ("BLK-OTO-02", "Servis Kendaraan Ringan", "automotive", 280, 16, S_FULL,
     ["carsvc", "brake", "oil", "obd", "align"], 0.57, 2024),
    ("BLK-KON-01", "Pembuatan Konten Kreatif", "digital", 160, 16, S_AFT,
     ["content", "video", "prodphoto", "copy", "live"], 0.21, 2024),
    ("BLK-DMK-01", "Digital Marketing", "digital", 160, 16, S_MORN,
     ["dm", "ads", "shop", "copy", "content"], 0.26, 2024),
    ("BLK-LAS-01", "Pengelasan SMAW", "welding_metal", 320, 16, S_LONG,
     ["smaw", "oxy", "grind", "wps", "winsp"], 0.71, 2023),
    ("BLK-LAS-02", "Pengelasan GMAW dan GTAW", "welding_metal", 280, 16, S_FULL,
     ["mig", "tig", "grind", "wps", "sheet"], 0.66, 2023),
    ("BLK-FKL-01", "Operator Forklift", "logistics", 120, 16, S_FULL,
     ["forklift", "pallet", "fifo", "k3"], 0.74, 2023),
    ("BLK-GDG-01", "Administrasi Gudang", "logistics", 200, 16, S_MORN,
     ["whadm", "inout", "stock", "wms", "excel", "docs"], 0.50, 2023),
    ("BLK-PRW-01", "Perawatan Lansia (Caregiver)", "care", 240, 16, S_FULL,
     ["lansia", "p3k", "mobil", "vital", "hygiene", "meal", "demensia"], 0.56, 2023),
    ("BLK-PRW-02", "Pengasuhan Anak dan Bayi", "care", 200, 16, S_MORN,
     ["anak", "bayi", "p3k", "daycare", "meal"], 0.44, 2024),
    ("BLK-PLT-01", "Operator Mesin Injeksi Plastik", "manufacturing", 200, 16, S_FULL,
     ["inj", "blow", "qc", "5s", "k3", "maint"], 0.63, 2023),
    ("BLK-CNC-01", "Operator Mesin Bubut dan Milling CNC", "manufacturing", 320, 12, S_LONG,
     ["cncl", "cncm", "drw", "meas", "lathe"], 0.60, 2023),
    ("BLK-KRG-01", "Penanganan Kargo Udara dan Ground Handling", "airport", 200, 16, S_FULL,
     ["cargo", "ramp", "bag", "dg", "awb", "apron"], 0.58, 2024),
    ("BLK-RTL-01", "Kasir dan Pelayanan Ritel", "retail", 120, 20, S_AFT,
     ["kasir", "cs", "edc", "pos", "shelf"], 0.44, 2023),
]

# Where graduates who do not work in their course's own vocation end up (weights).
RELATED_SECTORS = {
    "manufacturing": [("logistics", 3), ("footwear", 2), ("garment", 1), ("welding_metal", 1)],
    "garment": [("footwear", 3), ("manufacturing", 2), ("retail", 1)],
    "footwear": [("garment", 2), ("manufacturing", 3), ("logistics", 1)],
    "welding_metal": [("manufacturing", 3), ("electrical", 1), ("automotive", 1)],
    "electrical": [("manufacturing", 3), ("refrigeration", 2), ("welding_metal", 1)],
    "automotive": [("logistics", 2), ("retail", 1), ("manufacturing", 1)],
    "refrigeration": [("electrical", 3), ("hospitality", 1), ("automotive", 1)],
    "logistics": [("manufacturing", 3), ("airport", 2), ("retail", 2)],
    "airport": [("logistics", 4), ("hospitality", 1)],
    "hospitality": [("culinary", 3), ("retail", 2), ("airport", 1)],
    "culinary": [("hospitality", 3), ("retail", 2), ("manufacturing", 1)],
    "retail": [("culinary", 2), ("office", 1), ("logistics", 2)],
    "office": [("retail", 3), ("logistics", 2), ("digital", 1), ("manufacturing", 1)],
    "digital": [("retail", 3), ("office", 2)],
    "care": [("hospitality", 2), ("culinary", 1), ("retail", 1)],
}

# ---------------------------------------------------------------------------
# Employers (all fictional): name, sector, tag (which vacancy templates fit), area kind, optionally
# "@kelurahan" when the name mentions a place and the employer should sit there.
# ---------------------------------------------------------------------------

EMPLOYERS = [
    # manufacturing
    ("PT Cahaya Plastindo Cisadane", "manufacturing", "plastic", "industrial"),
    ("PT Sinar Polimer Nusantara", "manufacturing", "plastic", "industrial"),
    ("PT Mitra Kemasindo Utama", "manufacturing", "pack", "industrial"),
    ("PT Presisi Komponen Jatiuwung", "manufacturing", "metal", "industrial@Jatiuwung"),
    ("PT Bina Karet Perkasa", "manufacturing", "plastic", "industrial"),
    ("PT Surya Pangan Lestari", "manufacturing", "food", "industrial_edge"),
    ("PT Tunas Kartonindo Raya", "manufacturing", "pack", "industrial"),
    ("PT Gemilang Elektrindo Perkasa", "manufacturing", "elec", "industrial"),
    ("PT Citra Rasa Camilan Makmur", "manufacturing", "food", "industrial_edge"),
    ("PT Daya Logam Press Utama", "manufacturing", "metal", "industrial"),
    ("PT Prima Botol Plastik Nusantara", "manufacturing", "plastic", "industrial"),
    ("PT Anugerah Kimia Selaras", "manufacturing", "pack", "industrial_edge"),
    ("PT Harapan Mi Sejahtera", "manufacturing", "food", "industrial"),
    ("PT Segara Komponen Otomotif", "manufacturing", "metal", "industrial"),
    ("PT Wahana Kemasan Lentur", "manufacturing", "plastic", "industrial"),
    ("PT Pelita Minuman Segar", "manufacturing", "food", "industrial_edge"),
    # garment
    ("PT Benang Emas Busana", "garment", "factory", "industrial"),
    ("PT Rajut Indah Cisadane", "garment", "factory", "industrial"),
    ("PT Sandang Mulia Sentosa", "garment", "factory", "industrial"),
    ("PT Tunas Garmen Nusantara", "garment", "factory", "industrial"),
    ("PT Puspa Busana Lestari", "garment", "factory", "industrial"),
    ("CV Karya Konveksi Mandiri", "garment", "small", "urban"),
    ("PT Citra Tekstil Persada", "garment", "factory", "industrial"),
    ("CV Jahit Rapi Periuk", "garment", "small", "industrial@Periuk"),
    ("PT Arta Seragam Utama", "garment", "factory", "industrial_edge"),
    ("CV Duta Busana Santun", "garment", "small", "urban"),
    # footwear
    ("PT Sinar Alas Kaki Nusantara", "footwear", "factory", "industrial"),
    ("PT Langkah Jaya Sepatu", "footwear", "factory", "industrial"),
    ("PT Mega Sol Karet Indah", "footwear", "sole", "industrial"),
    ("PT Tapak Kulit Perkasa", "footwear", "factory", "industrial"),
    ("PT Bintang Sepatu Olahraga", "footwear", "factory", "industrial"),
    ("PT Jejak Mandiri Alas Kaki", "footwear", "factory", "industrial"),
    ("PT Cipta Sandal Sentosa", "footwear", "sole", "industrial"),
    ("PT Anugerah Kulit Cisadane", "footwear", "factory", "industrial_edge"),
    ("PT Harmoni Langkah Utama", "footwear", "factory", "industrial"),
    ("PT Segara Sepatu Persada", "footwear", "factory", "industrial"),
    # welding_metal
    ("PT Baja Kokoh Fabrikasi", "welding_metal", "fab", "industrial"),
    ("PT Logam Prima Teknik", "welding_metal", "machining", "industrial"),
    ("CV Las Tangguh Mandiri", "welding_metal", "fab", "urban"),
    ("PT Besi Cipta Konstruksi", "welding_metal", "fab", "industrial"),
    ("PT Rangka Baja Nusantara", "welding_metal", "fab", "industrial_edge"),
    ("PT Pilar Logam Jatiuwung", "welding_metal", "machining", "industrial@Keroncong"),
    ("CV Bengkel Las Sejahtera", "welding_metal", "fab", "industrial"),
    # electrical
    ("PT Arus Teknik Elektrika", "electrical", "plant", "industrial"),
    ("PT Daya Panel Mandiri", "electrical", "plant", "industrial"),
    ("CV Sinar Listrik Cikokol", "electrical", "building", "urban@Cikokol"),
    ("PT Voltindo Karya Utama", "electrical", "building", "industrial"),
    ("PT Surya Atap Energi", "electrical", "solar", "urban"),
    ("PT Tegangan Prima Instalasi", "electrical", "building", "industrial_edge"),
    # automotive
    ("Bengkel Motor Roda Gesit", "automotive", "moto", "urban"),
    ("PT Otomotif Prima Servis", "automotive", "car", "urban"),
    ("Bengkel Mobil Sinar Piston", "automotive", "car", "urban"),
    ("PT Roda Mandiri Otomotif", "automotive", "car", "urban"),
    ("Bengkel Matik Cakra Cimone", "automotive", "moto", "urban@Cimone"),
    ("PT Karya Ban Sentosa", "automotive", "car", "urban"),
    ("Bengkel Diesel Tangguh Pinang", "automotive", "diesel", "urban@Pinang"),
    # refrigeration
    ("CV Sejuk Abadi Teknik", "refrigeration", "ac", "urban"),
    ("PT Dingin Prima Refrigerasi", "refrigeration", "commercial", "industrial_edge"),
    ("CV Angin Segar Servis AC", "refrigeration", "ac", "urban"),
    ("PT Kutub Beku Nusantara", "refrigeration", "commercial", "airport"),
    ("CV Teknik Pendingin Ciledug Mandiri", "refrigeration", "ac", "urban@Sudimara Barat"),
    # logistics
    ("PT Gudang Prima Logistik", "logistics", "warehouse", "airport"),
    ("PT Lintas Cepat Ekspedisi", "logistics", "delivery", "airport"),
    ("PT Arus Barang Nusantara", "logistics", "warehouse", "airport"),
    ("PT Mitra Rak Pergudangan", "logistics", "warehouse", "industrial"),
    ("PT Kirim Kilat Kurir", "logistics", "delivery", "urban"),
    ("PT Jalur Distribusi Sentosa", "logistics", "delivery", "airport"),
    ("PT Samudra Kargo Darat", "logistics", "trucking", "airport"),
    ("PT Rantai Pasok Mandiri", "logistics", "warehouse", "industrial"),
    ("PT Trans Gudang Benda", "logistics", "warehouse", "airport@Benda"),
    ("PT Sigap Antar Nusantara", "logistics", "delivery", "airport"),
    ("PT Bongkar Muat Poris", "logistics", "trucking", "airport@Poris Gaga"),
    # airport
    ("PT Dirgantara Layanan Darat", "airport", "ground", "airport"),
    ("PT Awan Kargo Udara", "airport", "cargo", "airport"),
    ("PT Sayap Prima Aviasi", "airport", "passenger", "airport"),
    ("PT Landas Pacu Servis", "airport", "ground", "airport"),
    ("PT Bagasi Aman Nusantara", "airport", "ground", "airport"),
    ("PT Apron Mitra Sejahtera", "airport", "cargo", "airport"),
    ("PT Kabin Bersih Aviasi", "airport", "cabin", "airport"),
    # hospitality
    ("Hotel Teratai Cikokol", "hospitality", "hotel", "urban@Cikokol"),
    ("Hotel Kenari Cipondoh", "hospitality", "hotel", "urban@Cipondoh"),
    ("Hotel Transit Jurumudi", "hospitality", "hotel", "airport@Jurumudi"),
    ("Hotel Tepi Cisadane", "hospitality", "hotel", "urban@Sukasari"),
    ("Hotel Anggrek Karawaci", "hospitality", "hotel", "urban@Karawaci"),
    ("Penginapan Melati Poris", "hospitality", "inn", "airport@Poris Jaya"),
    ("Hotel Flamboyan Ciledug", "hospitality", "hotel", "urban@Paninggilan"),
    # culinary
    ("Rumah Makan Rantau Sakato", "culinary", "resto", "urban"),
    ("Kedai Kopi Seduh Pagi", "culinary", "coffee", "urban"),
    ("Kedai Kopi Kawan Cisadane", "culinary", "coffee", "urban"),
    ("Toko Roti Hangat Larangan", "culinary", "bakery", "urban@Larangan Utara"),
    ("Katering Dapur Ibu Sejahtera", "culinary", "catering", "urban"),
    ("Restoran Bambu Kuning", "culinary", "resto", "urban"),
    ("PT Pangan Saji Katering", "culinary", "catering", "industrial_edge"),
    ("Toko Kue Cinta Rasa", "culinary", "bakery", "urban"),
    ("Dapur Oriental Naga Emas", "culinary", "resto", "airport"),
    # retail
    ("Toserba Mekar Pinang", "retail", "store", "urban@Pinang"),
    ("Swalayan Harapan Keluarga", "retail", "store", "urban"),
    ("Minimarket Tetangga Mart", "retail", "store", "urban"),
    ("Gerai Ponsel Sinyal Kuat", "retail", "gadget", "urban"),
    ("Toko Bangunan Kokoh Abadi", "retail", "hardware", "urban"),
    ("Toko Busana Ceria Cimone", "retail", "store", "urban@Cimone"),
    ("Toko Elektronik Sinar Layar", "retail", "gadget", "urban"),
    ("Swalayan Segar Sentosa Ciledug", "retail", "store", "urban@Sudimara Timur"),
    ("PT Distribusi Sembako Makmur", "retail", "hardware", "airport"),
    # office
    ("PT Solusi Berkas Nusantara", "office", "admin", "urban"),
    ("PT Mitra Akuntansi Prima", "office", "finance", "urban"),
    ("PT Sumber Daya Insani Mandiri", "office", "admin", "urban"),
    ("PT Suara Pelanggan Prima", "office", "callcentre", "urban"),
    ("Koperasi Simpan Pinjam Tunas Harapan", "office", "finance", "urban"),
    ("PT Niaga Lintas Samudra", "office", "trade", "airport"),
    # digital
    ("Studio Kreatif Piksel Cerah", "digital", "creative", "urban"),
    ("PT Media Digital Cisadane", "digital", "marketing", "urban"),
    ("Percetakan Warna Tinta Jaya", "digital", "print", "urban"),
    ("PT Kode Pintar Teknologi", "digital", "it", "urban"),
    ("CV Jangkau Digital Pemasaran", "digital", "marketing", "urban"),
    ("PT Lapak Daring Sentosa", "digital", "ecommerce", "airport"),
    # care
    ("Yayasan Kasih Lansia Sejahtera", "care", "elderly", "urban"),
    ("Panti Werdha Teduh Kasih", "care", "elderly", "urban"),
    ("Daycare Pelangi Ceria", "care", "child", "urban"),
    ("PT Rawat Rumah Sehat", "care", "homecare", "urban"),
    ("Klinik Pratama Sehat Sentosa", "care", "homecare", "urban"),
    ("Yayasan Peduli Disabilitas Mandiri", "care", "disability", "urban"),
]

# Employee counts are log-uniform between these bounds per sector.
EMPLOYEE_RANGE = {
    "manufacturing": (80, 2500), "garment": (150, 3000), "footwear": (400, 9000),
    "welding_metal": (20, 300), "electrical": (10, 200), "automotive": (5, 120),
    "refrigeration": (5, 80), "logistics": (40, 1200), "airport": (100, 2000),
    "hospitality": (30, 250), "culinary": (8, 300), "retail": (6, 400), "office": (10, 300),
    "digital": (5, 80), "care": (6, 150),
}

STREETS = [
    "Jl. Industri Jaya", "Jl. Kenari Raya", "Jl. Cendana Utama", "Jl. Bhakti Karya",
    "Jl. Swadaya", "Jl. Pergudangan Utama", "Jl. Pabrik Lama", "Jl. Melati Putih",
    "Jl. Flamboyan Raya", "Jl. Teratai", "Jl. Nangka Lima", "Jl. Cempaka Baru",
    "Jl. Pelita Karya", "Jl. Rajawali Raya", "Jl. Merpati", "Jl. Angsana",
    "Jl. Kamboja Indah", "Jl. Persatuan", "Jl. Gotong Royong", "Jl. Bougenville",
    "Jl. Kemuning Raya", "Jl. Rambutan", "Jl. Duku Raya", "Jl. Sawo Kecik",
    "Jl. Pinus Timur", "Jl. Akasia", "Jl. Tanjung Biru", "Jl. Mahoni Raya",
    "Jl. Bintaro Kecil", "Jl. Kenanga Sari", "Jl. Manggis", "Jl. Jambu Air",
    "Jl. Lingkar Pabrik", "Jl. Kargo Selatan", "Jl. Perintis Baru", "Jl. Cisadane Hilir",
]

# ---------------------------------------------------------------------------
# Vacancy templates per vocation: title, KBJI 2014 unit group ("" when none fits well), tags of
# employers that post it ("*" = any in the sector), must-have core skills (always), optional
# must-have skills, total must count range, nice-to-have pool, education weights, wage band in
# rupiah, shift weights, and whether it is a mass-hiring operator role.
# ---------------------------------------------------------------------------

EDU_OPERATOR = {"smp": 3, "sma": 4, "smk": 5}
EDU_SKILLED = {"sma": 3, "smk": 7, "d3": 1}
EDU_TECH = {"smk": 8, "d3": 2}
EDU_SERVICE = {"smp": 1, "sma": 6, "smk": 4}
EDU_CLERK = {"sma": 5, "smk": 5, "d3": 1}
EDU_PRO = {"sma": 1, "smk": 4, "d3": 3, "s1": 2}
EDU_LOW = {"none": 1, "sd": 3, "smp": 4}

SH_FACTORY = {"rotating": 6, "day": 3, "night": 1}
SH_DAY = {"day": 1}
SH_SERVICE = {"rotating": 5, "day": 4, "night": 1}
SH_AIRPORT = {"rotating": 7, "night": 2, "day": 1}
SH_CARE = {"day": 5, "rotating": 3, "night": 2}


def T(title, kbji, tags, core, opt, must_n, nice, edu, wage, shift, mass=False):
    return {
        "title": title, "kbji": kbji, "tags": tags.split(), "core": core, "opt": opt,
        "must_n": must_n, "nice": nice, "edu": edu, "wage": wage, "shift": shift, "mass": mass,
    }


M = 1000000
TEMPLATES = {
    "manufacturing": [
        T("Operator Mesin Injeksi Plastik", "8142", "plastic", ["inj"], ["k3", "5s", "qc", "maint"],
          (1, 3), ["blow", "extr", "meas", "hpack"], EDU_OPERATOR, (5.40 * M, 6.0 * M), SH_FACTORY,
          True),
        T("Operator Mesin Blow Moulding", "8142", "plastic pack", ["blow"], ["inj", "k3", "5s"],
          (1, 2), ["qc", "maint"], EDU_OPERATOR, (5.40 * M, 5.9 * M), SH_FACTORY, True),
        T("Operator Mesin Ekstrusi", "8142", "plastic pack", ["extr"], ["k3", "5s"], (1, 2),
          ["maint", "qc"], EDU_OPERATOR, (5.40 * M, 5.9 * M), SH_FACTORY, True),
        T("Operator CNC Bubut", "7223", "metal", ["cncl"], ["drw", "meas"], (2, 3),
          ["cncm", "lathe", "k3"], EDU_SKILLED, (5.6 * M, 7.5 * M), SH_FACTORY),
        T("Operator CNC Milling", "7223", "metal", ["cncm"], ["drw", "meas"], (2, 3),
          ["cncl", "lathe", "k3"], EDU_SKILLED, (5.6 * M, 7.5 * M), SH_FACTORY),
        T("Operator Mesin Press", "7223", "metal", ["press"], ["k3", "meas", "5s"], (1, 2),
          ["drw", "qc"], EDU_OPERATOR, (5.40 * M, 6.0 * M), SH_FACTORY, True),
        T("Staf Quality Control", "7543", "*", ["qc"], ["meas", "drw", "5s"], (1, 3),
          ["excel", "k3"], EDU_SKILLED, (5.5 * M, 6.8 * M), SH_FACTORY),
        T("Operator Mesin Pengemasan", "8183", "food pack", ["pack"], ["5s", "k3"], (1, 2),
          ["hpack", "qc", "food"], EDU_OPERATOR, (5.40 * M, 5.8 * M), SH_FACTORY, True),
        T("Operator Produksi Makanan", "8160", "food", ["food"], ["hyg", "5s", "pack"], (1, 3),
          ["qc", "k3", "hpack"], EDU_OPERATOR, (5.40 * M, 5.8 * M), SH_FACTORY, True),
        T("Teknisi Perawatan Mesin", "7233", "*", ["maint"], ["diag", "motor", "smaw"], (2, 3),
          ["plc", "drw", "meas"], EDU_TECH, (5.8 * M, 8.0 * M), SH_FACTORY),
        T("Operator Perakitan Elektronik", "8212", "elec", ["elas"], ["solder", "qc", "5s"], (1, 2),
          ["meas", "k3"], EDU_OPERATOR, (5.40 * M, 5.8 * M), SH_FACTORY, True),
        T("Operator Produksi", "9329", "*", ["hpack"], ["5s", "k3"], (1, 2), ["qc", "pack"],
          {"sd": 1, "smp": 4, "sma": 4, "smk": 3}, (5.40 * M, 5.6 * M), SH_FACTORY, True),
        T("Kepala Regu Produksi", "3122", "*", ["qc", "5s"], ["k3", "excel"], (2, 3),
          ["drw", "meas", "maint"], {"sma": 2, "smk": 4, "d3": 3}, (6.5 * M, 8.8 * M), SH_FACTORY),
    ],
    "garment": [
        T("Operator Jahit Garmen", "8153", "factory small", ["sew"],
          ["obras", "overdeck", "shirt", "pants"], (1, 3), ["techpack", "finish", "cut"],
          EDU_OPERATOR, (5.40 * M, 5.8 * M), SH_FACTORY, True),
        T("Operator Obras", "8153", "factory small", ["obras"], ["sew"], (1, 2),
          ["overdeck", "finish"], EDU_OPERATOR, (5.40 * M, 5.7 * M), SH_FACTORY, True),
        T("Penjahit Kemeja", "7531", "factory small", ["shirt"], ["sew", "obras"], (1, 3),
          ["pants", "pola"], EDU_OPERATOR, (5.40 * M, 6.0 * M), SH_DAY),
        T("Operator Cutting Garmen", "7532", "factory", ["cut"], ["pola", "techpack"], (1, 2),
          ["qcg"], EDU_OPERATOR, (5.40 * M, 5.9 * M), SH_FACTORY, True),
        T("Pembuat Pola Garmen", "7532", "factory small", ["pola"], ["cut", "techpack"], (1, 3),
          ["women"], {"smk": 6, "d3": 2}, (5.8 * M, 7.5 * M), SH_DAY),
        T("Staf QC Garmen", "7543", "factory", ["qcg"], ["techpack", "finish"], (1, 2),
          ["qc", "excel"], EDU_SKILLED, (5.40 * M, 6.2 * M), SH_FACTORY),
        T("Operator Setrika dan Finishing", "9121", "factory small", ["finish"], [], (1, 1),
          ["qcg"], EDU_OPERATOR, (5.40 * M, 5.6 * M), SH_FACTORY, True),
        T("Operator Sablon", "7322", "small factory", ["sablon"], [], (1, 1), ["graphic"],
          EDU_OPERATOR, (5.0 * M, 5.8 * M), SH_DAY),
        T("Operator Bordir Komputer", "8153", "small factory", ["bordir"], ["sew"], (1, 2),
          ["techpack"], EDU_OPERATOR, (5.2 * M, 5.9 * M), SH_DAY),
        T("Penjahit Busana Wanita", "7531", "small", ["women"], ["pola", "sew"], (1, 3), ["cut"],
          EDU_OPERATOR, (4.6 * M, 6.0 * M), SH_DAY),
    ],
    "footwear": [
        T("Operator Jahit Upper Sepatu", "8156", "factory", ["upper"], ["postbed", "skive", "sew"],
          (1, 3), ["fqc"], EDU_OPERATOR, (5.40 * M, 5.8 * M), SH_FACTORY, True),
        T("Operator Cutting Sepatu", "8156", "factory", ["fcut"], ["diecut"], (1, 2),
          ["skive", "fqc"], EDU_OPERATOR, (5.40 * M, 5.7 * M), SH_FACTORY, True),
        T("Operator Cementing Sol", "8156", "factory sole", ["cement"], ["assy"], (1, 2),
          ["last", "ffin"], EDU_OPERATOR, (5.40 * M, 5.7 * M), SH_FACTORY, True),
        T("Operator Lasting", "8156", "factory", ["last"], ["cement", "assy"], (1, 2), ["ffin"],
          EDU_OPERATOR, (5.40 * M, 5.7 * M), SH_FACTORY, True),
        T("Operator Assembling Sepatu", "8156", "factory", ["assy"], ["cement", "last"], (1, 3),
          ["ffin", "fqc"], EDU_OPERATOR, (5.40 * M, 5.7 * M), SH_FACTORY, True),
        T("Operator Mesin Injeksi Sol", "8156", "sole", ["solinj"], ["k3", "maint"], (1, 2),
          ["inj", "5s"], EDU_OPERATOR, (5.40 * M, 6.0 * M), SH_FACTORY, True),
        T("Staf QC Sepatu", "7543", "factory sole", ["fqc"], ["ffin"], (1, 2), ["qc", "excel"],
          EDU_SKILLED, (5.40 * M, 6.3 * M), SH_FACTORY),
        T("Operator Produksi Sepatu", "8156", "factory sole", ["assy"], ["ffin", "fpack", "cement"],
          (1, 2), ["fqc", "5s"], EDU_OPERATOR, (5.40 * M, 5.6 * M), SH_FACTORY, True),
        T("Pembuat Pola Sepatu", "7536", "factory", ["fpola"], ["fcut", "upper"], (1, 3),
          ["graphic"], {"smk": 6, "d3": 2}, (6.0 * M, 8.0 * M), SH_DAY),
        T("Operator Packing Sepatu", "9321", "factory sole", ["fpack"], [], (1, 1),
          ["ffin", "hpack"], {"sd": 1, "smp": 4, "sma": 3, "smk": 2}, (5.40 * M, 5.5 * M),
          SH_FACTORY, True),
    ],
    "welding_metal": [
        T("Welder SMAW", "7212", "fab machining", ["smaw"], ["wps", "grind", "oxy"], (1, 3),
          ["winsp", "k3"], EDU_SKILLED, (5.6 * M, 7.5 * M), SH_FACTORY),
        T("Welder MIG/TIG", "7212", "fab machining", ["mig"], ["tig", "wps", "grind"], (1, 3),
          ["winsp", "sheet"], EDU_SKILLED, (5.8 * M, 8.0 * M), SH_FACTORY),
        T("Tukang Las Baja Ringan", "7214", "fab", ["bajaring"], ["smaw", "grind"], (1, 2),
          ["oxy"], {"smp": 3, "sma": 2, "smk": 5}, (4.5 * M, 6.2 * M), SH_DAY),
        T("Fabricator Sheet Metal", "7213", "fab machining", ["sheet"], ["mig", "plasma", "drw"],
          (1, 3), ["grind", "spray"], EDU_SKILLED, (5.6 * M, 7.2 * M), SH_FACTORY),
        T("Operator Bubut Manual", "7223", "machining", ["lathe"], ["drw", "meas"], (1, 3),
          ["cncl"], EDU_SKILLED, (5.5 * M, 6.8 * M), SH_FACTORY),
        T("Pengecat Logam", "7132", "fab", ["spray"], ["grind"], (1, 2), ["k3"], EDU_OPERATOR,
          (5.2 * M, 6.2 * M), SH_DAY),
        T("Helper Fabrikasi", "7214", "fab machining", ["grind"], ["oxy", "smaw"], (1, 2), ["k3"],
          {"sd": 1, "smp": 4, "sma": 2, "smk": 3}, (5.0 * M, 5.6 * M), SH_DAY),
        T("Inspektor QC Las", "7543", "fab", ["winsp"], ["wps", "meas"], (1, 3), ["drw"],
          EDU_TECH, (6.2 * M, 8.5 * M), SH_DAY),
    ],
    "electrical": [
        T("Teknisi Listrik Bangunan", "7411", "building solar", ["gedung"],
          ["rumah", "diag", "k3l", "meter"], (1, 3), ["panel", "cctv"], EDU_SKILLED,
          (5.5 * M, 7.0 * M), SH_DAY),
        T("Teknisi Listrik Pabrik", "7412", "plant", ["motor"], ["ctrl", "panel", "diag", "k3l"],
          (2, 4), ["plc", "meter"], EDU_TECH, (5.8 * M, 7.8 * M), SH_FACTORY),
        T("Teknisi PLC", "3113", "plant", ["plc"], ["ctrl", "diag"], (2, 3), ["motor", "panel"],
          EDU_PRO, (6.5 * M, 9.0 * M), SH_FACTORY),
        T("Teknisi Instalasi Listrik Rumah", "7411", "building", ["rumah"], ["meter", "diag"],
          (1, 2), ["cctv", "k3l"], EDU_SKILLED, (4.5 * M, 6.0 * M), SH_DAY),
        T("Teknisi CCTV", "7422", "building", ["cctv"], ["net", "rumah"], (1, 2), ["meter"],
          EDU_SKILLED, (4.8 * M, 6.2 * M), SH_DAY),
        T("Teknisi Panel Surya", "7411", "solar", ["pv"], ["rumah", "k3l", "meter"], (1, 3),
          ["diag"], EDU_TECH, (5.5 * M, 7.2 * M), SH_DAY),
        T("Teknisi Servis Elektronik", "7421", "building", ["appl"], ["solder", "meter"], (1, 3),
          ["rumah"], EDU_SKILLED, (4.5 * M, 6.0 * M), SH_DAY),
        T("Teknisi Panel Listrik", "7412", "plant building", ["panel"], ["diag", "k3l"], (1, 3),
          ["ctrl", "plc"], EDU_TECH, (5.8 * M, 7.5 * M), SH_FACTORY),
    ],
    "automotive": [
        T("Mekanik Sepeda Motor", "7231", "moto", ["injmc"], ["tuneup", "mcelec", "cvt", "oil"],
          (1, 3), ["overhaul"], EDU_SKILLED, (4.2 * M, 6.0 * M), SH_DAY),
        T("Mekanik Motor Matik", "7231", "moto", ["cvt"], ["injmc", "oil"], (1, 2), ["mcelec"],
          EDU_SKILLED, (4.2 * M, 5.8 * M), SH_DAY),
        T("Mekanik Mobil", "7231", "car", ["carsvc"], ["brake", "obd", "oil"], (1, 3),
          ["align", "carac"], EDU_SKILLED, (5.0 * M, 7.0 * M), SH_DAY),
        T("Teknisi Spooring dan Balancing", "7231", "car", ["align"], ["brake"], (1, 2), ["oil"],
          EDU_SKILLED, (4.8 * M, 6.0 * M), SH_DAY),
        T("Teknisi Bodi dan Cat", "7132", "car", ["body"], [], (1, 1), ["spray"], EDU_SKILLED,
          (5.0 * M, 6.8 * M), SH_DAY),
        T("Mekanik Diesel", "7231", "diesel car", ["diesel"], ["carsvc", "oil"], (1, 3), ["obd"],
          EDU_SKILLED, (5.5 * M, 7.5 * M), SH_DAY),
        T("Teknisi AC Mobil", "7231", "car", ["carac"], ["refrig"], (1, 2), ["carsvc"],
          EDU_SKILLED, (5.0 * M, 6.5 * M), SH_DAY),
        T("Petugas Cuci Kendaraan", "9122", "car moto", ["detail"], [], (1, 1), ["oil"], EDU_LOW,
          (4.0 * M, 5.4 * M), SH_SERVICE),
    ],
    "refrigeration": [
        T("Teknisi AC", "7127", "ac commercial", ["acsvc"], ["acins", "refrig", "braze", "pcb"],
          (1, 3), ["hc", "vrf"], EDU_SKILLED, (4.8 * M, 6.5 * M), SH_DAY),
        T("Teknisi Instalasi AC", "7127", "ac", ["acins"], ["braze", "refrig", "acsvc"], (1, 3),
          ["rumah"], EDU_SKILLED, (4.8 * M, 6.2 * M), SH_DAY),
        T("Teknisi Kulkas dan Mesin Cuci", "7127", "ac", ["fridge"], ["wash", "refrig"], (1, 3),
          ["meter"], EDU_SKILLED, (4.5 * M, 6.0 * M), SH_DAY),
        T("Teknisi Chiller", "7127", "commercial", ["chiller"], ["refrig", "panel", "vrf"], (1, 3),
          ["diag"], EDU_TECH, (6.0 * M, 8.5 * M), SH_FACTORY),
        T("Teknisi Cold Storage", "7127", "commercial", ["cold"], ["refrig", "braze"], (1, 3),
          ["chiller", "showcase"], EDU_TECH, (5.8 * M, 7.8 * M), SH_FACTORY),
        T("Teknisi Showcase dan Chiller Minuman", "7127", "commercial ac", ["showcase"],
          ["refrig", "fridge"], (1, 2), ["pcb"], EDU_SKILLED, (5.0 * M, 6.5 * M), SH_DAY),
    ],
    "logistics": [
        T("Operator Forklift", "8344", "warehouse trucking", ["forklift"], ["fifo", "pallet"], (1, 2),
          ["wms", "load"], EDU_SERVICE, (5.40 * M, 6.3 * M), SH_FACTORY, True),
        T("Staf Admin Gudang", "4321", "warehouse delivery", ["whadm"],
          ["excel", "inout", "stock", "docs"], (2, 3), ["wms"], EDU_CLERK, (5.40 * M, 6.2 * M),
          SH_SERVICE),
        T("Checker Gudang", "4321", "warehouse", ["inout"], ["wms", "docs", "stock"], (1, 2),
          ["fifo"], EDU_SERVICE, (5.40 * M, 5.9 * M), SH_FACTORY, True),
        T("Picker dan Packer", "9321", "warehouse delivery", ["pick"], ["wms", "pallet"], (1, 2),
          ["fifo"], {"smp": 4, "sma": 4, "smk": 2}, (5.0 * M, 5.6 * M), SH_FACTORY, True),
        T("Helper Bongkar Muat", "9333", "warehouse trucking", ["load"], ["pallet", "fifo"], (1, 2),
          ["forklift"], EDU_LOW, (4.6 * M, 5.5 * M), SH_FACTORY, True),
        T("Sopir Truk", "8332", "trucking", ["truck"], ["docs"], (1, 2), ["load"],
          {"smp": 4, "sma": 4, "smk": 2}, (5.5 * M, 7.0 * M), SH_SERVICE),
        T("Sopir Pengiriman", "8322", "delivery trucking", ["van"], ["docs"], (1, 2), ["load"],
          {"smp": 3, "sma": 5, "smk": 2}, (5.0 * M, 6.2 * M), SH_DAY),
        T("Kurir Motor", "8321", "delivery", ["courier"], [], (1, 1), ["docs", "pick"],
          {"smp": 3, "sma": 5, "smk": 2}, (4.2 * M, 5.8 * M), SH_DAY, True),
        T("Staf Inventory Control", "4321", "warehouse", ["stock"], ["excel", "wms"], (2, 3),
          ["whadm"], EDU_CLERK, (5.6 * M, 6.8 * M), SH_DAY),
    ],
    "airport": [
        T("Porter Kargo Udara", "9333", "cargo", ["cargo"], ["uld", "dg", "apron"], (1, 3),
          ["forklift", "awb"], EDU_SERVICE, (5.40 * M, 6.0 * M), SH_AIRPORT, True),
        T("Staf Dokumen Kargo", "4323", "cargo", ["awb"], ["cargo", "excel"], (1, 3),
          ["dg", "aveng"], EDU_CLERK, (5.6 * M, 6.8 * M), SH_AIRPORT),
        T("Staf Ramp Handling", "9333", "ground", ["ramp"], ["apron", "bag", "gse"], (1, 3),
          ["aveng"], EDU_SERVICE, (5.40 * M, 6.2 * M), SH_AIRPORT, True),
        T("Petugas Bagasi", "9333", "ground", ["bag"], ["apron", "ramp"], (1, 2), ["aveng"],
          EDU_SERVICE, (5.40 * M, 5.9 * M), SH_AIRPORT, True),
        T("Petugas Check-in", "4221", "passenger", ["checkin"], ["aveng", "prm"], (1, 2),
          ["complaint"], {"sma": 5, "smk": 3, "d3": 2}, (5.5 * M, 6.5 * M), SH_AIRPORT),
        T("Operator GSE", "", "ground", ["gse"], ["apron"], (1, 2), ["ramp"], EDU_SKILLED,
          (5.8 * M, 7.0 * M), SH_AIRPORT),
        T("Petugas Pembersih Kabin Pesawat", "9112", "cabin", ["cabin"], ["apron"], (1, 2),
          ["public"], {"smp": 4, "sma": 4, "smk": 2}, (5.40 * M, 5.6 * M), SH_AIRPORT, True),
        T("Pendamping Penumpang Berkebutuhan Khusus", "", "passenger", ["prm"],
          ["aveng", "checkin"], (1, 2), ["p3k"], EDU_SERVICE, (5.40 * M, 6.0 * M), SH_AIRPORT),
        T("Petugas Keamanan Kargo", "5414", "cargo", ["avsec"], ["dg", "cargo"], (1, 3), ["aveng"],
          EDU_SERVICE, (5.5 * M, 6.5 * M), SH_AIRPORT),
    ],
    "hospitality": [
        T("Room Attendant", "9112", "hotel inn", ["hk"], ["public", "laundry"], (1, 2),
          ["hoseng", "complaint"], EDU_SERVICE, (4.6 * M, 5.8 * M), SH_SERVICE),
        T("Staf Public Area", "9112", "hotel inn", ["public"], ["hk"], (1, 2), ["laundry"],
          {"smp": 4, "sma": 4, "smk": 2}, (4.5 * M, 5.6 * M), SH_SERVICE),
        T("Resepsionis Hotel", "4224", "hotel inn", ["fo"], ["resv", "pms", "hoseng"], (1, 3),
          ["complaint"], {"sma": 3, "smk": 4, "d3": 3}, (5.2 * M, 6.3 * M), SH_SERVICE),
        T("Staf Reservasi", "4224", "hotel", ["resv"], ["pms", "hoseng", "excel"], (1, 3), ["fo"],
          EDU_CLERK, (5.40 * M, 6.2 * M), SH_DAY),
        T("Pramusaji", "5131", "hotel", ["fnb"], ["banquet", "hoseng"], (1, 2),
          ["bar", "complaint"], EDU_SERVICE, (4.6 * M, 5.7 * M), SH_SERVICE),
        T("Staf Banquet", "5131", "hotel", ["banquet"], ["fnb", "mice"], (1, 3), ["hoseng"],
          EDU_SERVICE, (4.8 * M, 5.8 * M), SH_SERVICE),
        T("Bartender", "5132", "hotel", ["bar"], ["fnb"], (1, 2), ["barista", "nonkopi"],
          EDU_SERVICE, (5.0 * M, 6.0 * M), SH_SERVICE),
        T("Staf Laundry Hotel", "9121", "hotel", ["laundry"], ["hk"], (1, 2), [],
          {"smp": 5, "sma": 3, "smk": 2}, (4.5 * M, 5.5 * M), SH_SERVICE),
        T("Staf Acara dan MICE", "3332", "hotel", ["mice"], ["banquet", "hoseng"], (1, 3), ["ppt"],
          {"sma": 2, "smk": 3, "d3": 3, "s1": 2}, (5.6 * M, 7.0 * M), SH_DAY),
    ],
    "culinary": [
        T("Barista", "5132", "coffee", ["barista"], ["manual", "nonkopi", "hyg"], (1, 3),
          ["kasir", "pos"], EDU_SERVICE, (4.2 * M, 5.8 * M), SH_SERVICE),
        T("Juru Masak Masakan Indonesia", "5120", "resto catering", ["indo"], ["prep", "hyg"],
          (1, 3), ["plating", "cater"], EDU_SERVICE, (4.8 * M, 6.5 * M), SH_SERVICE),
        T("Juru Masak Masakan Oriental", "5120", "resto", ["oriental"], ["prep", "hyg"], (1, 3),
          ["plating"], EDU_SERVICE, (5.0 * M, 7.0 * M), SH_SERVICE),
        T("Juru Masak Masakan Kontinental", "5120", "resto", ["western"], ["prep", "hyg", "plating"],
          (1, 3), ["pastry"], EDU_SERVICE, (5.2 * M, 7.2 * M), SH_SERVICE),
        T("Asisten Juru Masak", "9412", "resto catering", ["prep"], ["hyg"], (1, 2), ["indo"],
          {"smp": 5, "sma": 3, "smk": 3}, (4.2 * M, 5.5 * M), SH_SERVICE),
        T("Pembuat Roti", "7512", "bakery", ["bread"], ["hyg", "pastry"], (1, 3), [],
          EDU_SERVICE, (4.5 * M, 6.0 * M), SH_SERVICE),
        T("Pastry Cook", "7512", "bakery resto", ["pastry"], ["bread", "hyg"], (1, 3), ["plating"],
          EDU_SERVICE, (4.8 * M, 6.5 * M), SH_SERVICE),
        T("Juru Masak Katering", "5120", "catering", ["cater"], ["indo", "hyg", "prep"], (1, 3),
          ["frozen"], EDU_SERVICE, (4.8 * M, 6.2 * M), SH_FACTORY),
        T("Operator Produksi Frozen Food", "8160", "catering", ["frozen"], ["hyg", "food"], (1, 2),
          ["pack"], EDU_OPERATOR, (5.0 * M, 5.7 * M), SH_FACTORY, True),
        T("Crew Outlet", "5246", "coffee bakery resto", ["hyg"], ["kasir", "prep"], (1, 2),
          ["barista", "cs"], {"smp": 2, "sma": 6, "smk": 3}, (4.0 * M, 5.5 * M), SH_SERVICE, True),
    ],
    "retail": [
        T("Kasir", "5230", "store gadget hardware", ["kasir"], ["edc", "pos", "cs"], (1, 3),
          ["shelf"], EDU_SERVICE, (4.4 * M, 5.6 * M), SH_SERVICE, True),
        T("Pramuniaga", "5223", "store gadget hardware", ["cs"], ["shelf", "recv"], (1, 2),
          ["kasir", "nego"], EDU_SERVICE, (4.2 * M, 5.5 * M), SH_SERVICE, True),
        T("Sales Promotion (SPG/SPB)", "5242", "store gadget", ["spg"], ["nego", "cs"], (1, 3),
          ["content", "gadget"], EDU_SERVICE, (4.5 * M, 6.0 * M), SH_SERVICE),
        T("Sales Ponsel dan Gawai", "5223", "gadget", ["gadget"], ["nego", "cs"], (1, 3),
          ["kasir", "live"], EDU_SERVICE, (4.5 * M, 6.2 * M), SH_SERVICE),
        T("Staf Penerimaan Barang Toko", "4321", "store hardware", ["recv"],
          ["sstock", "pallet"], (1, 2), ["excel"], EDU_SERVICE, (4.8 * M, 5.8 * M), SH_DAY),
        T("Visual Merchandiser", "3432", "store", ["vm"], ["shelf"], (1, 2), ["graphic"],
          EDU_CLERK, (5.2 * M, 6.5 * M), SH_DAY),
        T("Sales Kanvas", "3322", "hardware store", ["canvas"], ["nego", "van"], (1, 3), ["excel"],
          EDU_SERVICE, (4.8 * M, 6.5 * M), SH_DAY),
        T("Customer Service Toko", "5223", "store gadget", ["retur"], ["cs", "pos"], (1, 3),
          ["beng"], EDU_SERVICE, (4.8 * M, 5.9 * M), SH_SERVICE),
        T("Kepala Toko", "1420", "store gadget hardware", ["sstock"], ["kasir", "cs", "excel"],
          (2, 3), ["vm", "retur"], {"sma": 4, "smk": 3, "d3": 3}, (6.0 * M, 8.0 * M), SH_SERVICE),
    ],
    "office": [
        T("Staf Administrasi", "4110", "*", ["admin"], ["excel", "word", "arsip"], (1, 3),
          ["letter", "typing"], EDU_CLERK, (5.0 * M, 6.5 * M), SH_DAY),
        T("Staf Entri Data", "4132", "admin callcentre finance", ["entry"], ["excel", "typing"],
          (1, 3), ["word"], EDU_CLERK, (4.6 * M, 5.8 * M), SH_DAY),
        T("Staf Akuntansi", "4311", "finance admin trade", ["acct"], ["excel", "accsw", "tax"],
          (2, 3), ["payroll"], EDU_PRO, (5.6 * M, 7.5 * M), SH_DAY),
        T("Staf Pajak", "3313", "finance", ["tax"], ["acct", "excel"], (2, 3), ["accsw"],
          {"d3": 5, "s1": 5}, (6.2 * M, 8.5 * M), SH_DAY),
        T("Staf Personalia", "4416", "admin finance", ["payroll"], ["excel", "admin", "arsip"], (2, 3),
          ["letter"], EDU_PRO, (5.6 * M, 7.5 * M), SH_DAY),
        T("Resepsionis Kantor", "4226", "admin finance trade", ["recep"], ["word", "admin"], (1, 2),
          ["beng", "call"], EDU_CLERK, (4.8 * M, 6.0 * M), SH_DAY),
        T("Customer Service Call Center", "4222", "callcentre finance", ["call"], ["typing", "entry"],
          (1, 2), ["beng", "complaint"], EDU_CLERK, (5.0 * M, 6.2 * M), SH_SERVICE, True),
        T("Staf Ekspor-Impor", "3331", "trade", ["exim"], ["excel", "beng", "docs"], (2, 3),
          ["letter"], EDU_PRO, (6.0 * M, 8.5 * M), SH_DAY),
        T("Sekretaris", "4120", "admin trade finance", ["letter"], ["word", "excel", "ppt", "arsip"],
          (2, 4), ["beng", "recep"], {"d3": 6, "s1": 4}, (5.8 * M, 7.8 * M), SH_DAY),
    ],
    "digital": [
        T("Desainer Grafis", "2166", "creative print marketing ecommerce", ["graphic"],
          ["photo", "print"], (1, 3), ["video", "content"], EDU_PRO, (5.0 * M, 7.5 * M), SH_DAY),
        T("Operator Percetakan Digital", "7322", "print", ["print"], ["graphic"], (1, 2), ["photo"],
          EDU_SKILLED, (4.5 * M, 5.8 * M), SH_SERVICE),
        T("Staf Digital Marketing", "2431", "marketing ecommerce", ["dm"],
          ["ads", "content", "copy"], (1, 3), ["shop", "sql"], {"sma": 2, "smk": 3, "d3": 3, "s1": 3},
          (5.4 * M, 8.0 * M), SH_DAY),
        T("Content Creator", "", "creative marketing ecommerce", ["content"], ["video", "copy"],
          (1, 3), ["prodphoto", "live"], {"sma": 4, "smk": 4, "d3": 2}, (4.5 * M, 6.8 * M), SH_DAY),
        T("Editor Video", "3521", "creative marketing", ["video"], ["content", "photo"], (1, 2),
          ["prodphoto"], EDU_PRO, (5.2 * M, 7.2 * M), SH_DAY),
        T("Admin Toko Online", "", "ecommerce", ["shop"], ["content", "excel", "prodphoto"], (1, 3),
          ["live", "ads"], EDU_CLERK, (4.5 * M, 5.8 * M), SH_DAY, True),
        T("Host Live Streaming", "", "ecommerce marketing", ["live"], ["content", "nego"], (1, 2),
          ["shop"], {"sma": 6, "smk": 3, "d3": 1}, (4.2 * M, 6.5 * M), SH_SERVICE),
        T("Fotografer Produk", "3431", "creative ecommerce", ["prodphoto"], ["photo"], (1, 2),
          ["video"], EDU_SKILLED, (5.0 * M, 6.5 * M), SH_DAY),
        T("Programmer Web Junior", "2513", "it", ["web"], ["sql"], (1, 2), ["net"], EDU_PRO,
          (6.0 * M, 9.0 * M), SH_DAY),
        T("Teknisi Jaringan Komputer", "3513", "it", ["net"], ["pc"], (1, 2), ["cctv"],
          EDU_TECH, (5.4 * M, 7.0 * M), SH_DAY),
        T("Teknisi Komputer", "3512", "it print", ["pc"], ["net"], (1, 2), ["word"], EDU_SKILLED,
          (4.8 * M, 6.2 * M), SH_DAY),
    ],
    "care": [
        T("Caregiver Lansia", "5322", "elderly homecare", ["lansia"],
          ["p3k", "mobil", "hygiene", "vital", "meal"], (1, 3), ["demensia"], EDU_SERVICE,
          (4.2 * M, 6.0 * M), SH_CARE),
        T("Asisten Perawat Home Care", "5322", "homecare", ["homecare"],
          ["vital", "mobil", "hygiene", "p3k"], (2, 3), ["meal"], {"sma": 4, "smk": 4, "d3": 2},
          (5.0 * M, 6.5 * M), SH_CARE),
        T("Pengasuh Anak", "5311", "child homecare", ["anak"], ["bayi", "p3k"], (1, 3),
          ["meal", "prt"], {"smp": 3, "sma": 5, "smk": 2}, (4.0 * M, 5.5 * M), SH_DAY),
        T("Pengasuh Daycare", "5311", "child", ["daycare"], ["anak", "bayi", "p3k"], (1, 3),
          ["meal"], {"sma": 5, "smk": 3, "d3": 2}, (4.2 * M, 5.8 * M), SH_DAY),
        T("Pendamping Penyandang Disabilitas", "5322", "disability", ["disab"], ["mobil", "p3k"],
          (1, 3), ["demensia"], EDU_SERVICE, (4.5 * M, 6.0 * M), SH_CARE),
        T("Asisten Rumah Tangga", "9111", "elderly homecare child", ["prt"], ["meal"], (1, 2),
          ["anak"], EDU_LOW, (4.0 * M, 5.4 * M), SH_DAY),
        T("Pramu Rukti Panti Werdha", "5321", "elderly", ["lansia"],
          ["demensia", "hygiene", "meal"], (1, 3), ["vital"], EDU_SERVICE, (4.5 * M, 6.0 * M),
          SH_CARE),
    ],
}

# Vocations a workplace hires for besides its own (maintenance, warehouse, admin, canteen...).
CROSS_HIRING = {
    "manufacturing": ["electrical", "logistics", "office", "welding_metal", "refrigeration"],
    "garment": ["logistics", "office", "electrical"],
    "footwear": ["logistics", "office", "electrical", "manufacturing"],
    "welding_metal": ["office", "logistics"],
    "electrical": ["office", "refrigeration"],
    "automotive": ["retail", "office"],
    "refrigeration": ["electrical", "office"],
    "logistics": ["office", "automotive"],
    "airport": ["logistics", "office", "hospitality"],
    "hospitality": ["culinary", "refrigeration", "office"],
    "culinary": ["retail", "logistics"],
    "retail": ["logistics", "office", "digital"],
    "office": ["digital", "retail"],
    "digital": ["office", "retail"],
    "care": ["culinary", "office"],
}

# Share of each sector's vacancies offered below the UMK (small shops, kitchens and households
# more often than factories, which are inspected).
BELOW_UMK_SHARE = {
    "manufacturing": 0.05, "garment": 0.08, "footwear": 0.05, "welding_metal": 0.12,
    "electrical": 0.15, "automotive": 0.35, "refrigeration": 0.30, "logistics": 0.10,
    "airport": 0.04, "hospitality": 0.25, "culinary": 0.40, "retail": 0.35, "office": 0.15,
    "digital": 0.20, "care": 0.45,
}

N_VACANCIES = 600


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

def weighted(rng, weights):
    """Picks a key of a {key: weight} dict (in insertion order, so deterministic)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        for r in rows:
            w.writerow(r)


def round_to(x, step):
    return int(round(x / step)) * step


def date_range_pick(rng, first, last):
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


# ---------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------

def build_kelurahan(rng):
    """Spreads each kecamatan's kelurahan on a sunflower spiral around its centroid, with a little
    jitter; the radius grows with the number of kelurahan and stays under 2 km."""
    kec = {k[0]: k for k in KECAMATAN}
    by_kec = {}
    for code, name in KELURAHAN:
        by_kec.setdefault(code[:8], []).append((code, name))
    rows = []
    golden = math.pi * (3 - math.sqrt(5))
    for kcode, _, clat, clon in KECAMATAN:
        members = by_kec[kcode]
        n = len(members)
        rmax_km = min(1.9, 0.8 + 0.07 * n)
        turn = rng.uniform(0, 2 * math.pi)
        for i, (code, name) in enumerate(members):
            r = rmax_km * math.sqrt((i + 0.5) / n) + rng.uniform(-0.1, 0.1)
            a = turn + i * golden
            dlat = (r * math.sin(a)) / 110.6
            dlon = (r * math.cos(a)) / (111.32 * math.cos(math.radians(clat)))
            rows.append((code, kcode, name, round(clat + dlat, 5), round(clon + dlon, 5)))
    assert set(by_kec) == set(kec)
    return rows


def build_skills():
    rows = []
    key_to_code = {}
    for slug, prefix in VOCATIONS:
        for i, (key, name_id, name_en) in enumerate(SKILLS[slug], start=1):
            code = "%s-%03d" % (prefix, i)
            assert key not in key_to_code, "duplicate skill key " + key
            key_to_code[key] = code
            rows.append((code, slug, name_id, name_en))
    return rows, key_to_code


def schedule_end(start, hours, schedule):
    per_day, weekdays = SCHEDULES[schedule]
    days = -(-hours // per_day)
    d = start
    while True:
        if d.weekday() in weekdays:
            days -= 1
            if days == 0:
                return d
        d += dt.timedelta(days=1)


def build_planned(batches, vac_rows):
    """The next six months of planned batches, January to June 2027, modelled on BLK Kota
    Tangerang's scale (about 64 programmes and 1,000 trainees a year in classes of about 16, so
    about 32 classes in six months).  Classes go to the courses industry hires for: each course's
    weight is the open openings of the vacancies its vocation posts times its measured placement
    rate; 32 classes are shared out by largest remainder, at most two per course.  Start dates are
    Mondays spread over the half year; no random numbers, so the other files do not move."""
    n_total = 32
    openings = {}
    for row in vac_rows:
        openings[row[4]] = openings.get(row[4], 0) + row[11]
    placed, enrolled, last_no = {}, {}, {}
    for code, no, _, _, enr, _, _, pl in batches:
        placed[code] = placed.get(code, 0) + pl
        enrolled[code] = enrolled.get(code, 0) + enr
        last_no[code] = max(last_no.get(code, 0), no)
    weight = {}
    for code, _, vocation, _, _, _, _, _, _ in COURSES:
        rate = placed[code] / enrolled[code] if enrolled.get(code) else 0.0
        weight[code] = openings.get(vocation, 0) * rate
    total = sum(weight.values())
    quota = {c: n_total * w / total for c, w in weight.items()}
    count = {c: min(2, int(q)) for c, q in quota.items()}
    order = sorted(quota, key=lambda c: (-(quota[c] - int(quota[c])), c))
    while sum(count.values()) < n_total:
        for c in order:
            if sum(count.values()) < n_total and count[c] < 2 and count[c] < quota[c] + 1:
                count[c] += 1
        order = sorted(quota, key=lambda c: (-weight[c], c))
    first = dt.date(2027, 1, 4)  # a Monday
    rows = []
    k = 0
    for code, _, _, hours, cap, schedule, _, _, _ in COURSES:
        for b in range(count[code]):
            # two classes of one course start three months apart; courses are staggered a week
            start = first + dt.timedelta(weeks=(k % 12) + 13 * b)
            end = schedule_end(start, hours, schedule)
            rows.append((code, last_no.get(code, 0) + b + 1, start.isoformat(), end.isoformat(),
                         cap))
        k += 1 if count[code] else 0
    return rows


def build_batches(rng):
    """Two to six past batches per course, none overlapping, all ended by late May 2026 so that
    each has a full six-month placement window before today."""
    last_end = dt.date(2026, 5, 22)
    batches = []
    outcomes = []
    for code, _, vocation, hours, cap, schedule, _, rate, first_year in COURSES:
        first = dt.date(first_year, 1, 9) if first_year == 2023 else dt.date(first_year, 7, 1)
        span = (last_end - first).days
        probe = schedule_end(dt.date(2025, 1, 6), hours, schedule)
        duration = (probe - dt.date(2025, 1, 6)).days
        max_n = max(2, min(6, span // (duration + 21)))
        n = min(max_n, rng.choice((2, 3, 4, 4, 5, 5, 6, 6)))
        slot = span // n
        for b in range(n):
            slack = max(0, slot - duration - 14)
            start = first + dt.timedelta(days=b * slot + rng.randint(0, slack))
            start += dt.timedelta(days=(7 - start.weekday()) % 7)  # classes start on a Monday
            end = schedule_end(start, hours, schedule)
            assert end <= last_end
            enrolled = cap - rng.choice((0, 0, 0, 1, 1, 2, 3))
            completed = enrolled - rng.choice((0, 0, 1, 1, 1, 2, 2, 3))
            certified = int(completed * rng.uniform(0.72, 1.0))
            p = min(0.95, max(0.05, rate + rng.gauss(0, 0.06)))
            placed = min(completed, int(round(completed * p)))
            batches.append((code, b + 1, start.isoformat(), end.isoformat(), enrolled, completed,
                            certified, placed))
            own_share = rng.uniform(0.62, 0.9)
            related = dict(RELATED_SECTORS[vocation])
            counts = {}
            for _ in range(placed):
                sector = vocation if rng.random() < own_share else weighted(rng, related)
                counts[sector] = counts.get(sector, 0) + 1
            for sector in VOCATION_SLUGS:
                if counts.get(sector):
                    outcomes.append((code, b + 1, sector, counts[sector]))
    return batches, outcomes


def build_employers(rng, kel_by_name):
    rows = []
    info = []
    seen = set()
    for i, (name, sector, tag, area) in enumerate(EMPLOYERS, start=1):
        assert name not in seen, name
        seen.add(name)
        assert sector in VOCATION_SLUGS
        code = "EMP-%03d" % i
        area, _, pinned = area.partition("@")
        kel = kel_by_name[pinned or rng.choice(AREAS[area])]
        lo, hi = EMPLOYEE_RANGE[sector]
        employees = int(round(math.exp(rng.uniform(math.log(lo), math.log(hi)))))
        street = rng.choice(STREETS)
        if rng.random() < 0.2:
            address = "%s Blok %s%d No. %d" % (street, rng.choice("ABCDEF"), rng.randint(1, 9),
                                                rng.randint(1, 40))
        else:
            address = "%s No. %d" % (street, rng.randint(1, 180))
        rows.append((code, name, sector, kel, address, employees))
        info.append({"code": code, "sector": sector, "tag": tag, "area": area, "kel": kel,
                     "employees": employees})
    return rows, info


def pick_openings(rng, employees, mass):
    u = rng.random()
    if mass and employees >= 500 and u < 0.35:
        return rng.randint(10, 30)
    if mass and u < 0.45:
        return rng.randint(5, 15)
    if u < 0.58:
        return rng.randint(1, 3)
    if u < 0.90:
        return rng.randint(3, 6)
    return rng.randint(6, 12)


def pick_age(rng, t):
    if rng.random() >= 0.4:
        return "", ""
    if t["title"].startswith("Sopir"):
        return rng.choice((21, 23, 25)), rng.choice((40, 45, 50, ""))
    if rng.random() < 0.12:
        return rng.choice((18, 20, 21)), ""
    return 18, rng.choice((25, 27, 28, 30, 30, 32, 35, 35, 40))


def build_vacancies(rng, employers, key_to_code, kel_by_name):
    # Bigger workplaces post more vacancies; every employer posts at least one.
    weights = [1.0 + math.log10(e["employees"]) ** 2 for e in employers]
    total = sum(weights)
    counts = [max(1, int(N_VACANCIES * w / total)) for w in weights]
    order = sorted(range(len(employers)), key=lambda i: (-weights[i], i))
    j = 0
    while sum(counts) < N_VACANCIES:
        counts[order[j % len(order)]] += 1
        j += 1
    while sum(counts) > N_VACANCIES:
        i = order[j % len(order)]
        if counts[i] > 1:
            counts[i] -= 1
        j += 1

    rows = []
    posted_first, posted_last = dt.date(2026, 9, 1), TODAY
    dl_first, dl_last = dt.date(2026, 12, 1), dt.date(2027, 3, 31)
    n = 0
    for e, count in zip(employers, counts):
        for _ in range(count):
            vocation = e["sector"]
            if rng.random() < 0.12:
                vocation = rng.choice(CROSS_HIRING[vocation])
            pool = TEMPLATES[vocation]
            if vocation == e["sector"]:
                fit = [t for t in pool if "*" in t["tags"] or e["tag"] in t["tags"]]
                pool = fit or pool
            else:
                # a factory hiring its own electrician or clerk: skilled roles, not mass operators
                pool = [t for t in pool if not t["mass"]] or pool
            t = rng.choice(pool)

            lo, hi = t["must_n"]
            k = rng.randint(max(lo, len(t["core"])), min(hi, len(t["core"]) + len(t["opt"])))
            must = list(t["core"]) + rng.sample(t["opt"], k - len(t["core"]))
            nice_pool = []
            for s in t["nice"] + t["opt"]:
                if s not in must and s not in nice_pool:
                    nice_pool.append(s)
            nk = rng.randint(0, min(4, len(nice_pool)))
            nice = rng.sample(nice_pool, nk)

            kbji = t["kbji"] if rng.random() >= 0.08 else ""
            edu = weighted(rng, t["edu"])
            min_age, max_age = pick_age(rng, t)
            openings = pick_openings(rng, e["employees"], t["mass"])

            wlo, whi = t["wage"]
            if rng.random() < BELOW_UMK_SHARE[vocation]:
                floor = min(max(4.0 * M, wlo - 0.8 * M), UMK_2026 - 400000)
                wage = round_to(rng.uniform(floor, UMK_2026 - 50000), 50000)
            elif t["mass"] and rng.random() < 0.45:
                wage = UMK_2026  # "gaji sesuai UMK": exactly the minimum
            else:
                wage = round_to(rng.uniform(max(wlo, 5.45 * M), max(whi, 5.5 * M)), 50000)
            below = 1 if wage < UMK_2026 else 0

            kel = e["kel"]
            if rng.random() < 0.1:
                area = e["area"]
                if vocation in ("retail", "culinary", "care", "electrical", "refrigeration",
                                "automotive", "digital", "office"):
                    area = "urban"
                kel = kel_by_name[rng.choice(AREAS[area])]

            posted = date_range_pick(rng, posted_first, posted_last)
            deadline = date_range_pick(rng, max(dl_first, posted + dt.timedelta(days=30)),
                                       min(dl_last, posted + dt.timedelta(days=150)))
            n += 1
            rows.append((
                "VAC-%04d" % n, e["code"], t["title"], kbji, vocation, kel,
                ";".join(key_to_code[s] for s in must), ";".join(key_to_code[s] for s in nice),
                edu, min_age, max_age, openings, int(wage), below,
                weighted(rng, t["shift"]), posted.isoformat(), deadline.isoformat(),
            ))
    return rows


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "seeds")
    root = os.path.normpath(root)
    rng = random.Random(SEED)

    kel_by_name = {}
    for code, name in KELURAHAN:
        assert name not in kel_by_name, "kelurahan name not unique: " + name
        kel_by_name[name] = code
    for names in AREAS.values():
        for name in names:
            assert name in kel_by_name, name

    write_csv(os.path.join(root, "kecamatan.csv"), ("code", "name", "lat", "lon"),
              [(c, n, "%.5f" % la, "%.5f" % lo) for c, n, la, lo in KECAMATAN])

    kel_rows = build_kelurahan(rng)
    write_csv(os.path.join(root, "kelurahan.csv"), ("code", "kecamatan_code", "name", "lat", "lon"),
              [(c, k, n, "%.5f" % la, "%.5f" % lo) for c, k, n, la, lo in kel_rows])

    skill_rows, key_to_code = build_skills()
    write_csv(os.path.join(root, "skills.csv"), ("code", "vocation", "name_id", "name_en"),
              skill_rows)

    course_rows = []
    for code, name, vocation, hours, cap, schedule, skills, _, _ in COURSES:
        assert 3 <= len(skills) <= 8 and 120 <= hours <= 320
        course_rows.append((code, name, vocation, hours, cap, schedule,
                            ";".join(key_to_code[s] for s in skills)))
    write_csv(os.path.join(root, "courses.csv"),
              ("code", "name", "vocation", "hours", "batch_capacity", "schedule", "skills"),
              course_rows)

    batches, outcomes = build_batches(rng)
    write_csv(os.path.join(root, "course_batches.csv"),
              ("course_code", "batch_no", "start_date", "end_date", "enrolled", "completed",
               "certified", "placed_6m"), batches)
    write_csv(os.path.join(root, "course_outcomes.csv"),
              ("course_code", "batch_no", "sector", "placed"), outcomes)

    emp_rows, employers = build_employers(rng, kel_by_name)
    write_csv(os.path.join(root, "employers.csv"),
              ("code", "name", "sector", "kelurahan_code", "address", "employees"), emp_rows)

    vac_rows = build_vacancies(rng, employers, key_to_code, kel_by_name)
    write_csv(os.path.join(root, "vacancies.csv"),
              ("code", "employer_code", "title", "kbji", "vocation", "kelurahan_code", "must_skills",
               "nice_skills", "min_education", "min_age", "max_age", "openings", "wage_monthly",
               "below_umk", "shift", "posted_date", "deadline"), vac_rows)

    planned = build_planned(batches, vac_rows)
    write_csv(os.path.join(root, "planned_batches.csv"),
              ("course_code", "batch_no", "start_date", "end_date", "capacity"), planned)

    print("wrote %d kecamatan, %d kelurahan, %d skills, %d courses, %d batches, %d outcome rows, "
          "%d employers, %d vacancies (%d openings) to %s" % (
              len(KECAMATAN), len(kel_rows), len(skill_rows), len(course_rows), len(batches),
              len(outcomes), len(emp_rows), len(vac_rows), sum(r[11] for r in vac_rows), root),
          file=sys.stderr)


if __name__ == "__main__":
    main()
