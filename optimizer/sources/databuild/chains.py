"""Industry chains and their segments, defined on the 153 products of the 2020 national IO table.

A segment claims parts of IO products in one of three ways (this keeps every yuan of a product
in at most one segment, so chain totals never double count):

- `rd`: the chain's share of product 136 (research and experimental development). R&D is
  capitalised in the table and hardly appears as an intermediate input, so a chain's share is
  its core products' share of all manufacturing gross output (products 012-099).
- `purchases`: what the chain's core products buy of a product as intermediate input,
  sum over core columns j of z_ij. Used for upstream materials, equipment and services that
  many industries share.
- `core`: the product's output left after every `rd` and `purchases` claim on it.

The chain's core products are its `core` products. Claims on one product never exceed its output
(checked when the shares are computed).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from optimizer.sources.databuild.sources import IOTable

RD_PRODUCT = "136"
MANUFACTURING = [f"{i:03d}" for i in range(12, 100)]


@dataclass(frozen=True)
class Chain:
    key: str
    name: str


@dataclass(frozen=True)
class Segment:
    key: str
    chain: str
    name: str
    stage: str
    core: tuple[str, ...] = ()
    purchases: tuple[str, ...] = ()
    rd: bool = False


@dataclass(frozen=True)
class Link:
    supplier: str
    user: str


CHAINS = (
    Chain("nev", "New-energy and intelligent vehicles"),
    Chain("ic", "Integrated circuits and electronics"),
    Chain("bio", "Biomedicine"),
    Chain("nmat", "New materials"),
    Chain("hee", "High-end equipment and robotics"),
    Chain("nee", "New-energy equipment (PV, wind, batteries)"),
)

SEGMENTS = (
    Segment("nev_rd", "nev", "Vehicle R&D and design", "research", rd=True),
    Segment("nev_materials", "nev", "Battery metals, light alloys and polymers", "materials",
            purchases=("064", "065", "047")),
    Segment("nev_battery", "nev", "Power batteries", "components", purchases=("087",)),
    Segment("nev_electronics", "nev", "Vehicle chips, motors and electronics", "components",
            purchases=("094", "084")),
    Segment("nev_parts", "nev", "Auto parts and systems", "components", core=("080",)),
    Segment("nev_assembly", "nev", "Vehicle assembly", "assembly", core=("079",)),
    Segment("nev_services", "nev", "Vehicle engineering, IT and business services",
            "services", purchases=("129", "135", "137", "138")),

    Segment("ic_rd", "ic", "Chip design and electronics R&D", "research", rd=True),
    Segment("ic_materials", "ic", "Electronic chemicals, gases and glass substrates",
            "materials", purchases=("043", "048", "057")),
    Segment("ic_equipment", "ic", "Semiconductor and electronics production equipment",
            "equipment", purchases=("078",)),
    Segment("ic_components", "ic", "Chips, displays and electronic components",
            "manufacturing", core=("094",)),
    Segment("ic_devices", "ic", "Computers, phones and communication equipment", "assembly",
            core=("090", "091", "093")),
    Segment("ic_services", "ic", "IT, engineering and business services", "services",
            purchases=("129", "135", "137", "138")),

    Segment("bio_rd", "bio", "Drug discovery and clinical R&D", "research", rd=True),
    Segment("bio_materials", "bio", "APIs, intermediates and fine chemicals", "materials",
            purchases=("043", "048")),
    Segment("bio_pharma", "bio", "Drugs and biologics", "manufacturing", core=("050",)),
    Segment("bio_devices", "bio", "Medical devices and equipment", "manufacturing",
            core=("077",)),
    Segment("bio_services", "bio", "Medical distribution, CRO and business services",
            "services", purchases=("109", "135", "137", "138")),

    Segment("nmat_rd", "nmat", "Materials R&D", "research", rd=True),
    Segment("nmat_feedstock", "nmat", "Basic chemicals and non-ferrous feedstock", "materials",
            purchases=("043", "064")),
    Segment("nmat_polymers", "nmat", "Advanced polymers and special chemicals", "manufacturing",
            core=("047", "048")),
    Segment("nmat_inorganic", "nmat", "Carbon, graphite, ceramics and high-performance fibres",
            "manufacturing", core=("051", "060")),
    Segment("nmat_metals", "nmat", "Advanced non-ferrous alloys and rolled metals",
            "manufacturing", core=("065",)),
    Segment("nmat_services", "nmat", "Testing, certification and technology services",
            "services", purchases=("135", "137", "138")),

    Segment("hee_rd", "hee", "Equipment R&D and design", "research", rd=True),
    Segment("hee_materials", "hee", "Special steel and metal parts", "materials",
            purchases=("062", "066")),
    Segment("hee_components", "hee", "Motors, drives, sensors and instruments", "components",
            core=("084", "096")),
    Segment("hee_machinery", "hee", "CNC machine tools, robots and precision parts",
            "manufacturing", core=("068", "073")),
    Segment("hee_transport", "hee", "Rail, ship and aerospace equipment", "assembly",
            core=("081", "082", "083")),
    Segment("hee_services", "hee", "Engineering, installation and repair services", "services",
            core=("099",), purchases=("135", "137", "138")),

    Segment("nee_rd", "nee", "Energy technology R&D", "research", rd=True),
    Segment("nee_materials", "nee", "Polysilicon, PV glass, graphite and battery metals",
            "materials", purchases=("043", "057", "060", "064")),
    Segment("nee_pv", "nee", "PV cells, inverters, grid and cable equipment", "components",
            core=("085", "086")),
    Segment("nee_wind", "nee", "Wind turbines and power generation equipment", "components",
            core=("067",)),
    Segment("nee_battery", "nee", "Batteries and energy storage", "components", core=("087",)),
    Segment("nee_services", "nee", "Power engineering, IT and business services", "services",
            purchases=("129", "135", "137", "138")),
)

# Chain links, upstream supplier -> downstream user. Within a chain they run from research,
# materials, equipment and services to components, manufacturing and assembly; the last group
# crosses chains where the IO table shows a strong flow.
LINKS = (
    Link("nev_rd", "nev_assembly"), Link("nev_rd", "nev_battery"),
    Link("nev_materials", "nev_battery"), Link("nev_materials", "nev_parts"),
    Link("nev_battery", "nev_assembly"), Link("nev_electronics", "nev_parts"),
    Link("nev_electronics", "nev_assembly"), Link("nev_parts", "nev_assembly"),
    Link("nev_services", "nev_assembly"),

    Link("ic_rd", "ic_components"), Link("ic_rd", "ic_devices"),
    Link("ic_materials", "ic_components"), Link("ic_equipment", "ic_components"),
    Link("ic_components", "ic_devices"), Link("ic_services", "ic_devices"),

    Link("bio_rd", "bio_pharma"), Link("bio_rd", "bio_devices"),
    Link("bio_materials", "bio_pharma"), Link("bio_services", "bio_pharma"),
    Link("bio_services", "bio_devices"),

    Link("nmat_rd", "nmat_polymers"), Link("nmat_rd", "nmat_inorganic"),
    Link("nmat_rd", "nmat_metals"), Link("nmat_feedstock", "nmat_polymers"),
    Link("nmat_feedstock", "nmat_inorganic"), Link("nmat_feedstock", "nmat_metals"),
    Link("nmat_services", "nmat_polymers"),

    Link("hee_rd", "hee_machinery"), Link("hee_rd", "hee_transport"),
    Link("hee_materials", "hee_machinery"), Link("hee_materials", "hee_transport"),
    Link("hee_components", "hee_machinery"), Link("hee_components", "hee_transport"),
    Link("hee_machinery", "hee_transport"), Link("hee_services", "hee_transport"),

    Link("nee_rd", "nee_pv"), Link("nee_rd", "nee_wind"), Link("nee_rd", "nee_battery"),
    Link("nee_materials", "nee_pv"), Link("nee_materials", "nee_battery"),
    Link("nee_materials", "nee_wind"), Link("nee_services", "nee_wind"),

    Link("ic_components", "nev_electronics"), Link("ic_components", "nee_pv"),
    Link("nmat_polymers", "nev_parts"), Link("nmat_metals", "hee_components"),
    Link("nee_battery", "nev_battery"),
)


def chain_core(chain: str) -> list[str]:
    """The chain's core products: those it claims whole (after others' claims)."""
    return sorted({p for s in SEGMENTS if s.chain == chain for p in s.core})


def product_shares(io: IOTable) -> pd.DataFrame:
    """Segment x product matrix: the share of each product's 2020 output each segment holds."""
    gross = io.gross_output
    shares = pd.DataFrame(0.0, index=[s.key for s in SEGMENTS], columns=gross.index)
    manufacturing_total = gross[MANUFACTURING].sum()
    for seg in SEGMENTS:
        core = chain_core(seg.chain)
        if seg.rd:
            shares.loc[seg.key, RD_PRODUCT] += gross[[p for p in core if p in MANUFACTURING]].sum(
            ) / manufacturing_total
        for product in seg.purchases:
            shares.loc[seg.key, product] += io.z.loc[product, core].sum() / gross[product]
    claimed = shares.sum(axis=0)
    for seg in SEGMENTS:
        for product in seg.core:
            shares.loc[seg.key, product] = 1.0 - claimed[product]
    _check_shares(shares)
    return shares


def _check_shares(shares: pd.DataFrame) -> None:
    """Every product's claims add to at most its output; core products exactly to all of it."""
    total = shares.sum(axis=0)
    if (shares < -1e-12).any(axis=None) or (total > 1 + 1e-9).any():
        bad = total[total > 1 + 1e-9].index.tolist()
        raise ValueError(f"segment claims exceed the output of products {bad}")
    owners = [p for s in SEGMENTS for p in s.core]
    if len(owners) != len(set(owners)):
        raise ValueError("a product is the core of two segments")


def segment_output(shares: pd.DataFrame, product_output: pd.Series) -> pd.Series:
    """Output of each segment given output by product (same units)."""
    return shares.mul(product_output.reindex(shares.columns).fillna(0.0), axis=1).sum(axis=1)


def value_added_rates(io: IOTable, shares: pd.DataFrame) -> pd.Series:
    """Value added per unit of gross output of each segment (share-weighted products)."""
    return segment_output(shares, io.value_added) / segment_output(shares, io.gross_output)


def link_intensities(io: IOTable, shares: pd.DataFrame) -> pd.Series:
    """a_st = (supplier s's products bought by user t's products) / t's gross output.

    Flows are z_ij weighted by both segments' shares of products i and j, which assumes a
    product's sales and purchases are spread evenly over the segments that claim it.
    """
    user_output = segment_output(shares, io.gross_output)
    out = {}
    for link in LINKS:
        flows = shares.loc[link.supplier] @ io.z @ shares.loc[link.user]
        out[(link.supplier, link.user)] = float(flows) / float(user_output[link.user])
    return pd.Series(out)
